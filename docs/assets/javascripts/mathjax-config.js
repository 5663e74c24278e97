// MathJax 3, served from this site (assets/vendor/mathjax) and loaded only by pages
// that have math: pymdownx.arithmatex marks it with the class "arithmatex". MathJax is
// a megabyte of script; most pages have no math and should not pay for it.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

const mathjaxSource = new URL("../vendor/mathjax/tex-chtml.js", document.currentScript.src).href;

function typesetMath() {
  if (!document.querySelector(".arithmatex")) return;
  if (!document.getElementById("mathjax-script")) {
    // First page with math: MathJax typesets it as it starts up.
    const script = document.createElement("script");
    script.id = "mathjax-script";
    script.src = mathjaxSource;
    script.async = true;
    document.head.appendChild(script);
  } else if (window.MathJax.typesetPromise) {
    // A later page, reached by Material's instant navigation: typeset the new content.
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
}

document$.subscribe(typesetMath);
