// Show the numbers Shishin reads from the items while the editor types.
(function () {
  "use strict";
  var area = document.getElementById("items");
  var live = document.getElementById("live");
  if (!area || !live) { return; }
  var timer = null;
  function show(indicators) {
    live.textContent = "";
    if (!indicators.length) {
      var none = document.createElement("p");
      none.textContent = "数値は読み取れませんでした。";
      live.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    indicators.forEach(function (q) {
      var item = document.createElement("li");
      item.textContent = q.label + ": " + q.value.toLocaleString("ja-JP") + q.unit + (q.qualifier ? "（" + q.qualifier + "）" : "");
      list.appendChild(item);
    });
    live.appendChild(list);
  }
  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch("/api/extract", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({text: area.value, fiscal_year: Number(area.dataset.year)})
      }).then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (answer) {
          if (answer[0]) { show(answer[1].indicators); return; }
          live.textContent = "数値を読み取れませんでした（本文が長すぎるか、送信が多すぎます）。";
        });
    }, 400);
  });
})();
