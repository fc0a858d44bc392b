// Draws each chart from the figure the server wrote beside it (a JSON script block), with the
// Plotly bundle served by this server. Nothing else runs on the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("div.chart[data-figure]").forEach(function (el) {
    var figure = JSON.parse(document.getElementById(el.dataset.figure).textContent);
    Plotly.newPlot(el, figure.data, figure.layout, {displaylogo: false, responsive: true}).then(function () {
      el.dataset.rendered = "true";
    });
  });
});
