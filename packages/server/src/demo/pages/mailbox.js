// The demo mailbox: plain script, same-origin calls.
(function () {
  'use strict';
  var $ = function (id) {
    return document.getElementById(id);
  };
  $('from').value = localStorage.getItem('parley.mailbox.from') || 'customer@example.com';
  $('name').value = localStorage.getItem('parley.mailbox.name') || 'Casey Customer';

  function field(label, value) {
    var div = document.createElement('div');
    div.className = 'meta';
    div.textContent = label + ': ' + value;
    return div;
  }

  function show(m, prepend) {
    var li = document.createElement('li');
    li.className = 'mail';
    li.dataset.messageId = m.message_id || '';
    var h = document.createElement('h3');
    h.textContent = m.subject;
    li.appendChild(h);
    li.appendChild(field('From', m.from));
    li.appendChild(field('To', m.to.join(', ') + (m.cc.length ? ' · Cc: ' + m.cc.join(', ') : '')));
    li.appendChild(field('Message-ID', m.message_id || '—'));
    if (m.in_reply_to) li.appendChild(field('In-Reply-To', m.in_reply_to));
    var body = document.createElement('pre');
    body.className = 'body';
    body.textContent = m.text;
    li.appendChild(body);
    var answer = document.createElement('button');
    answer.type = 'button';
    answer.textContent = 'Reply';
    answer.addEventListener('click', function () {
      $('compose-title').textContent = 'Reply to “' + m.subject + '”';
      $('from').value = m.to[0] || $('from').value;
      $('to').value = m.from;
      $('subject').value = /^re:/i.test(m.subject) ? m.subject : 'Re: ' + m.subject;
      $('in-reply-to').value = m.message_id || '';
      $('references').value = m.references.concat(m.message_id ? [m.message_id] : []).join(' ');
      $('text').focus();
    });
    li.appendChild(answer);
    var inbox = $('inbox');
    if (prepend) inbox.insertBefore(li, inbox.firstChild);
    else inbox.appendChild(li);
  }

  fetch('demo/addresses?channel=email')
    .then(function (r) {
      return r.json();
    })
    .then(function (list) {
      list.forEach(function (q) {
        var o = document.createElement('option');
        o.value = q.address;
        o.textContent = q.address + ' (' + q.queue + ')';
        $('to').appendChild(o);
      });
    });
  fetch('demo/mailbox/messages')
    .then(function (r) {
      return r.json();
    })
    .then(function (list) {
      list.forEach(function (m) {
        show(m, false);
      });
    });
  new EventSource('demo/mailbox/events').onmessage = function (e) {
    show(JSON.parse(e.data), true);
  };

  $('compose').addEventListener('submit', function (e) {
    e.preventDefault();
    localStorage.setItem('parley.mailbox.from', $('from').value);
    localStorage.setItem('parley.mailbox.name', $('name').value);
    $('status').textContent = 'Sending…';
    var refs = $('references').value.split(' ').filter(Boolean);
    var body = { from: $('from').value, to: $('to').value, subject: $('subject').value, text: $('text').value };
    if ($('name').value) body.name = $('name').value;
    if ($('in-reply-to').value) body.in_reply_to = $('in-reply-to').value;
    if (refs.length) body.references = refs;
    fetch('demo/mailbox/send', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        return r.json().then(function (answer) {
          if (!r.ok) throw new Error(answer.error ? answer.error.message : 'HTTP ' + r.status);
          $('status').textContent = 'Sent to ' + body.to + '.';
          $('text').value = '';
          $('in-reply-to').value = '';
          $('references').value = '';
          $('compose-title').textContent = 'Write as a customer';
        });
      })
      .catch(function (err) {
        $('status').textContent = err.message;
      });
  });
})();
