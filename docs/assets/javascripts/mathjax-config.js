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

// Material's instant navigation is off (it cost a long lesson a third of its blocking time), so every
// page is a full load and this runs once per page.
if (document.querySelector(".arithmatex")) {
  const script = document.createElement("script");
  script.id = "mathjax-script";
  script.src = new URL("../vendor/mathjax/tex-chtml.js", document.currentScript.src).href;
  script.async = true;
  document.head.appendChild(script);
}
