// MathJax 3, served from this site (assets/vendor/mathjax). Only the math that
// pymdownx.arithmatex marked is typeset.
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

// Material's instant navigation swaps page content without a reload: typeset the
// new page's math. The first page is typeset by MathJax's own start-up; clearing
// the output cache here as well would strip the glyph styles it has just added.
let firstPage = true;
document$.subscribe(() => {
  if (firstPage) {
    firstPage = false;
    return;
  }
  if (window.MathJax && MathJax.typesetPromise) {
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
  }
});
