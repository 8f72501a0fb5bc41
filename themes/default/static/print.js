/* personabook: the Print buttons of a persona profile and a journey map.
   A file of its own, so the pages' Content-Security-Policy (scripts from
   the site only, nothing inline) allows it, opened from disk too.
   `data-print-mode="full"` prints the whole profile: it sets `print-full`
   on <html> for that one print (style.css shows the narrative and the
   journey then); `"sheet"` prints the one-page sheet. The buttons stay
   hidden without JavaScript, where they could not work. */
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("afterprint", function () {
    root.classList.remove("print-full");
  });
  var buttons = document.querySelectorAll("[data-print-mode]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var full = event.currentTarget.getAttribute("data-print-mode") === "full";
      root.classList.toggle("print-full", full);
      window.print();
    });
  }
})();
