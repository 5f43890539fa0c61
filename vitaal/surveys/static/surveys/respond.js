// Survey start page: the invitation link carries its code in the fragment (#t=CODE), which
// the browser never sends to the server, so no access log sees it. Move the code into the
// form, wipe it from the address bar and history, and post the form. Without JavaScript
// the respondent pastes the code into the same form.
(function () {
  "use strict";
  var form = document.getElementById("survey-start");
  var field = document.getElementById("survey-code");
  if (!form || !field) { return; }
  function post() {
    var match = /^#t=([A-Za-z0-9_-]+)$/.exec(window.location.hash);
    if (!match) { return; }
    field.value = match[1];
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname);
    }
    form.submit();
  }
  // Opening a second link while this page is shown changes only the fragment: no reload.
  window.addEventListener("hashchange", post);
  post();
})();
