/* A listing's filter drawer (a <details> on phones) stays open while htmx re-renders the listing
   after each tick: without this, every ticked box would close the drawer under the shopper's
   finger. htmx puts the focus back on the ticked box only if it can, so it is done here once the
   drawer is open again. */
(function () {
  var wasOpen = false;
  var focusedId = "";
  document.addEventListener("htmx:beforeSwap", function () {
    var drawer = document.getElementById("filters");
    wasOpen = !!(drawer && drawer.open);
    focusedId = document.activeElement ? document.activeElement.id : "";
  });
  document.addEventListener("htmx:afterSwap", function () {
    var drawer = document.getElementById("filters");
    if (!drawer || !wasOpen) return;
    drawer.open = true;
    var focused = focusedId && document.getElementById(focusedId);
    if (focused && drawer.contains(focused) && document.activeElement !== focused) focused.focus();
  });
})();
