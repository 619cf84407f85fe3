/* Cookie consent (CNIL, délibération 2020-091): the banner in every page's HTML is the same for
   everyone (pages are cached whole) and hidden; this script shows it while the browser holds no
   choice. "Tout refuser" and "Tout accepter" store the choice in the first-party galerie_consent
   cookie for six months; nothing is stored before a click. Other scripts read the choice with
   window.galerieConsent.get("audience") or listen for the "galerie:consent" event. */
(function () {
  "use strict";
  var NAME = "galerie_consent";
  var MAX_AGE = 182 * 24 * 3600; // six months, the CNIL's longest
  var CATEGORIES = ["audience"];

  function read() {
    var match = document.cookie.match(/(?:^|;\s*)galerie_consent=([^;]*)/);
    if (!match) return null;
    var parts = decodeURIComponent(match[1]).split("|");
    if (parts[0] !== "v1") return null;
    var choices = {};
    parts.slice(1).forEach(function (part) {
      var kv = part.split(":");
      choices[kv[0]] = kv[1] === "1";
    });
    return choices;
  }

  function write(choices) {
    var value = ["v1"].concat(CATEGORIES.map(function (name) {
      return name + ":" + (choices[name] ? "1" : "0");
    })).join("|");
    document.cookie = NAME + "=" + encodeURIComponent(value) + "; Max-Age=" + MAX_AGE
      + "; Path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    document.dispatchEvent(new CustomEvent("galerie:consent", {detail: choices}));
  }

  function all(value) {
    var choices = {};
    CATEGORIES.forEach(function (name) { choices[name] = value; });
    return choices;
  }

  window.galerieConsent = {
    get: function (name) { var c = read(); return !!(c && c[name]); }
  };

  function init() {
    var banner = document.getElementById("cookie-consent");
    if (banner) {
      if (read() === null) banner.hidden = false;
      banner.addEventListener("click", function (event) {
        var button = event.target.closest("[data-consent]");
        if (!button) return;
        write(all(button.getAttribute("data-consent") === "accept"));
        banner.hidden = true;
      });
    }
    document.querySelectorAll("[data-consent-open]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!banner) return;
        event.preventDefault();
        banner.hidden = false;
        banner.querySelector("[data-consent]").focus();
      });
    });
    var form = document.getElementById("cookie-preferences");
    if (form) {
      var current = read() || {};
      CATEGORIES.forEach(function (name) {
        if (form.elements[name]) form.elements[name].checked = !!current[name];
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var choices = {};
        CATEGORIES.forEach(function (name) {
          choices[name] = !!(form.elements[name] && form.elements[name].checked);
        });
        write(choices);
        if (banner) banner.hidden = true;
        form.querySelector(".consent-saved").hidden = false;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
