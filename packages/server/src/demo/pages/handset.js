// The demo handset: plain script, same-origin calls to the demo provider.
(function () {
  'use strict';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var numberInput = $('number');
  var params = new URLSearchParams(location.search);
  numberInput.value = params.get('number') || localStorage.getItem('parley.handset') || '+4915112345678';
  var source = null;
  var seen = {};

  function show(m) {
    if (seen[m.sid]) {
      var existing = document.querySelector('[data-sid="' + m.sid + '"] .status');
      if (existing) existing.textContent = m.status;
      return;
    }
    seen[m.sid] = true;
    var li = document.createElement('li');
    li.className = 'msg ' + m.direction;
    li.dataset.sid = m.sid;
    var meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent =
      (m.direction === 'in' ? 'From ' : 'To ') +
      m.peer +
      ' · ' +
      m.channel +
      ' · ' +
      new Date(m.created).toLocaleTimeString();
    var body = document.createElement('div');
    body.className = 'body';
    body.textContent = m.body;
    li.appendChild(meta);
    li.appendChild(body);
    $('log').appendChild(li);
    li.scrollIntoView({ block: 'nearest' });
  }

  function open() {
    var number = numberInput.value.trim();
    if (!/^\+[0-9]{6,20}$/.test(number)) return;
    localStorage.setItem('parley.handset', number);
    if (source) source.close();
    $('log').textContent = '';
    seen = {};
    $('error').textContent = '';
    // This browser claims the number first: only it reads and sends as that number.
    fetch('demo/handsets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: number }),
    })
      .then(function (r) {
        if (r.ok) return;
        return r.json().then(function (answer) {
          throw new Error(answer.error ? answer.error.message : 'HTTP ' + r.status);
        });
      })
      .then(function () {
        return fetch('demo/handset/' + encodeURIComponent(number) + '/messages');
      })
      .then(function (r) {
        return r.json();
      })
      .then(function (list) {
        list.forEach(show);
        source = new EventSource('demo/handset/' + encodeURIComponent(number) + '/events');
        source.onmessage = function (e) {
          show(JSON.parse(e.data));
        };
      })
      .catch(function (err) {
        $('error').textContent = err.message;
      });
  }

  function loadNumbers() {
    var channel = $('channel').value;
    fetch('demo/addresses?channel=' + channel)
      .then(function (r) {
        return r.json();
      })
      .then(function (list) {
        var to = $('to');
        to.textContent = '';
        list.forEach(function (q) {
          var o = document.createElement('option');
          o.value = q.address;
          o.textContent = q.address + ' (' + q.queue + ')';
          to.appendChild(o);
        });
      });
  }

  numberInput.addEventListener('change', open);
  $('channel').addEventListener('change', loadNumbers);
  $('compose').addEventListener('submit', function (e) {
    e.preventDefault();
    $('error').textContent = '';
    $('send').disabled = true;
    fetch('demo/handset/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: numberInput.value.trim(),
        to: $('to').value,
        body: $('body').value,
        channel: $('channel').value,
      }),
    })
      .then(function (r) {
        return r.json().then(function (answer) {
          if (!r.ok) throw new Error(answer.error ? answer.error.message : 'HTTP ' + r.status);
          $('body').value = '';
        });
      })
      .catch(function (err) {
        $('error').textContent = err.message;
      })
      .finally(function () {
        $('send').disabled = false;
      });
  });
  open();
  loadNumbers();
})();
