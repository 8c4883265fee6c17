// Live password strength on the set-password page. Without JavaScript the server shows the
// same score after a submit; here it is asked for as the person types (debounced).
(function () {
  var input = document.getElementById('new_password');
  var out = document.getElementById('strength');
  var form = input && input.form;
  if (!input || !out || !form || !form.dataset.strength) return;
  var timer = null;
  var seq = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var mine = ++seq;
      if (!input.value) { out.textContent = ''; out.removeAttribute('data-score'); return; }
      var body = new URLSearchParams();
      body.set('csrf', form.elements.csrf.value);
      body.set('new_password', input.value);
      fetch(form.dataset.strength, { method: 'POST', body: body, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j || mine !== seq) return;
          out.setAttribute('data-score', String(j.score));
          out.textContent = j.text + ': ';
          var s = document.createElement('span');
          s.textContent = j.label;
          out.appendChild(s);
        })
        .catch(function () {});
    }, 250);
  });
})();
