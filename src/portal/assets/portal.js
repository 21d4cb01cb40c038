// The portal's interactive parts, in plain JavaScript (no build step): forms that call the engine's API through
// /portal/api as the signed-in user, and the plan change, which shows a quote before anything is charged.
/* global document, window, location, sessionStorage, fetch, crypto, FormData */
'use strict';
(function () {
  var FLASH = 'seatbill-portal-flash';
  var notice = document.getElementById('notice');

  function say(text, isError) {
    if (!notice) return;
    notice.setAttribute('role', isError ? 'alert' : 'status');
    notice.classList.toggle('error', !!isError);
    notice.textContent = text;
  }

  // One random key per action: the API answers a repeated key with the first answer, so a double click charges once.
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  // Written as the server writes money (format.ts), so a quote and the invoice after it read the same.
  function money(cents) {
    var amount = (Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (cents < 0 ? '\u2212' : '') + '$' + amount;
  }

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ''));
    return m ? MONTHS[Number(m[2]) - 1] + ' ' + Number(m[3]) + ', ' + m[1] : String(iso || '');
  }

  function call(method, path, body, key) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    return fetch('/portal/api/' + path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (data) { return { ok: res.ok, status: res.status, data: data }; });
      })
      .catch(function () {
        return { ok: false, status: 0, data: { message: 'We could not reach billing. Check your connection and try again.' } };
      });
  }

  function failText(answer) {
    return (answer.data && answer.data.message) || 'Something went wrong on our side. Please try again in a minute.';
  }

  function reloadWith(message) {
    sessionStorage.setItem(FLASH, message);
    location.reload();
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  var flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    say(flash, false);
  }

  // Generic forms: data-path (under the team), data-method, data-confirm, data-success, data-list, data-fixed.
  function formBody(form) {
    var body = form.dataset.fixed ? JSON.parse(form.dataset.fixed) : {};
    new FormData(form).forEach(function (value, name) {
      if (form.dataset.list === name) body[name] = String(value).split(/[\s,;]+/).filter(Boolean);
      else body[name] = value;
    });
    return body;
  }

  function successText(form, data) {
    if (form.dataset.success === 'invitations' && Array.isArray(data)) {
      return data.map(function (i) { return 'Invitation sent to ' + i.email + '. It expires on ' + day(i.expiresAt) + '.'; }).join(' ');
    }
    return form.dataset.success || 'Done.';
  }

  // The field the API names (`body.taxId`) marked invalid and focused, so the person sees what to fix.
  function markRefused(form, problem) {
    form.querySelectorAll('[aria-invalid]').forEach(function (input) { input.removeAttribute('aria-invalid'); });
    var errors = (problem && problem.errors) || [];
    for (var i = 0; i < errors.length; i++) {
      var input = form.elements.namedItem(String(errors[i].field).replace(/^body\./, ''));
      if (input && input.setAttribute) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
    }
  }

  document.querySelectorAll('form.api').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      if (button.disabled) return;
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      button.disabled = true;
      var method = form.dataset.method || 'POST';
      var key = form.dataset.key || (form.dataset.key = newKey());
      var sendsBody = method === 'POST' || method === 'PUT';
      markRefused(form, null);
      call(method, form.dataset.path, sendsBody ? formBody(form) : undefined, method === 'POST' ? key : undefined).then(function (answer) {
        if (answer.ok) return reloadWith(successText(form, answer.data));
        delete form.dataset.key;
        button.disabled = false;
        say(failText(answer), true);
        markRefused(form, answer.data);
      });
    });
  });

  // Change plan: ask for a quote, show it line by line, and only then offer to confirm it.
  var planForm = document.getElementById('plan-change');
  var quoteBox = document.getElementById('quote');
  if (planForm && quoteBox) {
    planForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var choice = { plan: planForm.elements.plan.value, interval: planForm.elements.interval.value };
      var button = planForm.querySelector('button[type="submit"]');
      button.disabled = true;
      call('POST', 'quotes', choice, newKey()).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) return showQuoteProblem(failText(answer));
        showQuote(choice, answer.data.planChange, planForm.dataset.onFree === 'true');
      });
    });
  }

  function showQuoteProblem(text) {
    quoteBox.replaceChildren(el('p', text, { role: 'alert', class: 'alert' }));
    quoteBox.hidden = false;
  }

  function quoteSummary(change) {
    var total = change.invoice ? money(change.invoice.total) : null;
    var pending = change.pendingChange;
    if (change.timing === 'immediate') return 'You will be charged ' + total + ' today, and your new period starts today.';
    if (change.timing === 'split') return 'You will be charged ' + total + ' today. The billing interval changes on ' + day(pending.effectiveOn) + '.';
    if (change.timing === 'trial') return 'Nothing is charged during your trial. When it ends you will be charged ' + total + '.';
    if (pending && pending.plan === 'free') return 'Nothing is charged. Your subscription ends on ' + day(pending.effectiveOn) + ' and the team moves to Free.';
    return 'Nothing is charged today. The change takes effect on ' + day(pending && pending.effectiveOn) + '.';
  }

  function showQuote(choice, change, onFree) {
    var nodes = [el('h3', 'Price of this change'), el('p', quoteSummary(change), { 'data-testid': 'quote-summary' })];
    if (change.invoice) {
      nodes.push(linesTable(change.invoice, 'quote-total'));
    }
    var charged = change.invoice && change.timing !== 'trial' ? change.invoice.total : 0;
    var confirm = el('button', charged > 0 ? 'Confirm and pay ' + money(charged) : 'Confirm change', { type: 'button', 'data-testid': 'confirm' });
    var again = el('button', 'Choose again', { type: 'button', class: 'secondary' });
    var actions = el('p', null, { class: 'inline' });
    actions.append(confirm, again);
    nodes.push(actions);
    quoteBox.replaceChildren.apply(quoteBox, nodes);
    quoteBox.hidden = false;
    quoteBox.focus();

    again.addEventListener('click', function () { quoteBox.hidden = true; planForm.querySelector('button').focus(); });
    confirmOnce(confirm, onFree ? 'subscription' : 'subscription/plan-change', choice, showQuoteProblem, function (data) {
      var invoice = data.invoice || (data.invoiceId ? data : null);
      var plan = planForm.querySelector('input[name="plan"]:checked').dataset.name;
      return invoice && invoice.charged > 0
        ? 'Done. You were charged ' + money(invoice.charged) + ' and your plan is now ' + plan + '.'
        : 'Done. ' + quoteSummary(change);
    });
  }

  // Adding seats to a seat order: the quote for the days left in the order, then a confirmation sent with a key made
  // with that quote, so every click on it is one request, charged once.
  var seatForm = document.getElementById('seat-add');
  var seatBox = document.getElementById('seat-quote');
  if (seatForm && seatBox) {
    seatForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var count = Number(seatForm.elements.addSeats.value);
      var button = seatForm.querySelector('button[type="submit"]');
      button.disabled = true;
      call('POST', 'seat-orders/quote', { addSeats: count }, newKey()).then(function (answer) {
        button.disabled = false;
        if (!answer.ok) {
          seatBox.replaceChildren(el('p', failText(answer), { role: 'alert', class: 'alert' }));
          seatBox.hidden = false;
          return;
        }
        showSeatQuote(count, answer.data.invoice);
      });
    });
  }

  function showSeatQuote(count, invoice) {
    var seatsText = count === 1 ? 'one seat' : count + ' seats';
    var nodes = [el('h3', 'Price of ' + seatsText),
      el('p', 'You will be charged ' + money(invoice.total) + ' today for ' + seatsText + ', for the days left until ' + seatForm.dataset.orderEnd + '.', { 'data-testid': 'seat-quote-summary' })];
    nodes.push(linesTable(invoice, 'seat-quote-total'));
    var confirm = el('button', invoice.total > 0 ? 'Confirm and pay ' + money(invoice.total) : 'Confirm', { type: 'button', 'data-testid': 'seat-confirm' });
    var again = el('button', 'Choose again', { type: 'button', class: 'secondary' });
    var actions = el('p', null, { class: 'inline' });
    actions.append(confirm, again);
    nodes.push(actions);
    seatBox.replaceChildren.apply(seatBox, nodes);
    seatBox.hidden = false;
    seatBox.focus();

    again.addEventListener('click', function () { seatBox.hidden = true; seatForm.querySelector('button').focus(); });
    var showProblem = function (text) { seatBox.replaceChildren(el('p', text, { role: 'alert', class: 'alert' })); };
    confirmOnce(confirm, 'seat-orders/seats', { count: count }, showProblem, function (data) {
      var charged = data.invoice ? data.invoice.charged : 0;
      return 'Done. ' + (charged > 0 ? 'You were charged ' + money(charged) + ' and your' : 'Your') + ' seat order now has ' + data.seats + ' seats.';
    });
  }

  /** A quote's lines and total, as a table. */
  function linesTable(invoice, totalTestId) {
    var table = el('table', null, { class: 'lines' });
    table.appendChild(el('caption', 'The charge, line by line'));
    var head = el('thead');
    var headRow = el('tr');
    headRow.append(el('th', 'Item', { scope: 'col' }), el('th', 'Amount', { scope: 'col', class: 'num' }));
    head.appendChild(headRow);
    var body = el('tbody');
    invoice.lines.forEach(function (line) {
      var row = el('tr');
      row.append(el('td', line.description), el('td', money(line.amount), { class: 'num' }));
      body.appendChild(row);
    });
    var foot = el('tfoot');
    var footRow = el('tr');
    footRow.append(el('th', 'Total', { scope: 'row' }), el('td', money(invoice.total), { class: 'num total', 'data-testid': totalTestId }));
    foot.appendChild(footRow);
    table.append(head, body, foot);
    return table;
  }

  /**
   * Sends a confirmed quote. The key is made with the quote: every click on this confirmation is the same request,
   * charged once. `done` turns the answer into the message shown after the reload.
   */
  function confirmOnce(confirm, path, body, showProblem, done) {
    var key = newKey();
    var sent = false;
    confirm.addEventListener('click', function () {
      if (sent) return;
      sent = true;
      confirm.disabled = true;
      confirm.textContent = 'Working…';
      call('POST', path, body, key).then(function (answer) {
        if (!answer.ok) {
          sent = false;
          confirm.disabled = false;
          confirm.textContent = 'Try again';
          return showProblem(failText(answer));
        }
        if (answer.data.declined) return reloadWith(answer.data.message);
        reloadWith(done(answer.data));
      });
    });
  }

  // Adding people: the price for the days left in the period.
  var memberForm = document.getElementById('member-price');
  if (memberForm) {
    memberForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var count = Number(memberForm.elements.addMembers.value);
      var out = document.getElementById('member-price-result');
      call('POST', 'quotes', { addMembers: count }, newKey()).then(function (answer) {
        if (!answer.ok) { out.textContent = failText(answer); return; }
        var price = answer.data.members ? answer.data.members.chargeTotal : 0;
        out.textContent = (count === 1 ? 'One more person costs ' : count + ' more people cost ') + money(price) +
          ' for the days left until ' + memberForm.dataset.periodEnd + ', billed with your next invoice.';
      });
    });
  }
})();
