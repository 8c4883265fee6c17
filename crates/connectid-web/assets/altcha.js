// The sign-in's proof-of-work challenge (ALTCHA's protocol): find the number n below
// maxnumber with SHA-256(salt + n) = challenge, put the answer in the form and send it
// again. Served by connectid itself; nothing is loaded from anywhere else.
(function () {
  "use strict";
  var input = document.querySelector('input[name="altcha"][data-challenge]');
  if (!input || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var c = JSON.parse(input.getAttribute("data-challenge"));
  var status = document.getElementById("altcha-status");
  var encoder = new TextEncoder();
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  async function solve() {
    for (var n = 0; n <= c.maxnumber; n++) {
      var h = hex(await crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n)));
      if (h === c.challenge) return n;
    }
    return null;
  }
  if (status) status.hidden = false;
  solve().then(function (n) {
    if (n === null) return;
    input.value = btoa(JSON.stringify({
      algorithm: c.algorithm, challenge: c.challenge, number: n,
      salt: c.salt, signature: c.signature
    }));
    var form = input.form;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
})();
