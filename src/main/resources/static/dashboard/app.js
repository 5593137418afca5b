// tcp-gateway dashboard. Reads only the actuator API of the server that served it (same origin, the
// browser sends the admin credentials it logged in with); never loads every connection at once: the
// connections table pages through GET /actuator/connections with limit and offset.
'use strict';

const POLL_MS = 2000;
const HISTORY = 150; // 5 minutes of 2-second samples
const PAGE_SIZE = 50;
const $ = (id) => document.getElementById(id);

const state = { samples: [], offset: 0, sort: null, descending: false, rows: [], listenersKnown: '' };

async function api(method, path, body) {
  const options = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  // location.origin, not a relative URL: a page opened with user:password@ in its address has credentials
  // in its own URL, which fetch refuses to resolve against; the browser adds those it logged in with.
  const response = await fetch(location.origin + path, options);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (notJson) { json = null; }
  return { status: response.status, ok: response.ok, json, text };
}

// What the server answered, shown as it said it (a problem's detail, or the status and body).
function report(what, answer) {
  const status = $('status');
  const detail = answer.json && answer.json.detail ? answer.json.detail : (answer.text || '');
  status.textContent = `${what}: ${answer.status}${detail ? ' ' + detail : ''}`;
  status.className = answer.ok ? 'ok' : 'bad';
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  row.appendChild(td);
  return td;
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', action);
  return b;
}

function human(n) {
  if (n >= 1e9) return (n / 1e9).toFixed(1) + 'G';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
  return String(Math.round(n));
}

function draw(id, values) {
  const svg = $(id);
  const max = Math.max(1, ...values);
  // The samples so far fill the width (up to the last 5 minutes' worth).
  const step = values.length > 1 ? 300 / (values.length - 1) : 0;
  const start = values.length > 1 ? 0 : 300;
  const points = values.map((v, i) => `${(start + i * step).toFixed(1)},${(58 - (v / max) * 56).toFixed(1)}`).join(' ');
  svg.innerHTML = `<polyline points="${points}"></polyline>`;
}

async function refreshGateway() {
  const answer = await api('GET', '/actuator/gateway');
  if (!answer.ok) { report('GET /actuator/gateway', answer); return; }
  const g = answer.json;
  $('summary').textContent = `${g.connections} connection(s), up ${g.uptime.replace('PT', '').toLowerCase()}`;
  const body = $('listeners').tBodies[0];
  body.replaceChildren();
  for (const l of g.listeners) {
    const row = body.insertRow();
    cell(row, l.name); cell(row, l.port); cell(row, l.mode); cell(row, l.framing);
    const running = cell(row, l.running ? 'accepting' : 'not accepting');
    if (!l.running) running.className = 'down';
    cell(row, l.connections);
  }
  const names = g.listeners.map((l) => l.name).join(',');
  if (names !== state.listenersKnown) {
    state.listenersKnown = names;
    for (const select of [$('filter-listener'), $('broadcast-listener'), $('principal-listener')]) {
      const first = select.options[0];
      select.replaceChildren(first);
      for (const l of g.listeners) select.add(new Option(l.name, l.name));
    }
  }
}

async function refreshStats() {
  const answer = await api('GET', '/actuator/stats');
  if (!answer.ok) return;
  const s = answer.json;
  const sum = (f) => s.listeners.reduce((total, l) => total + f(l), 0);
  const closed = {};
  for (const l of s.listeners) for (const [reason, n] of Object.entries(l.closed)) closed[reason] = (closed[reason] || 0) + n;
  state.samples.push({ at: s.at, connections: sum((l) => l.connections), framesIn: sum((l) => l.framesIn),
    framesOut: sum((l) => l.framesOut), bytesIn: sum((l) => l.bytesIn), bytesOut: sum((l) => l.bytesOut), closed });
  if (state.samples.length > HISTORY + 1) state.samples.shift();
  const rate = (key) => state.samples.slice(1).map((x, i) =>
    Math.max(0, (x[key] - state.samples[i][key]) / Math.max(0.001, (x.at - state.samples[i].at) / 1000)));
  const series = { 'frames-in': rate('framesIn'), 'frames-out': rate('framesOut'), 'bytes-in': rate('bytesIn'), 'bytes-out': rate('bytesOut') };
  draw('chart-connections', state.samples.map((x) => x.connections));
  $('now-connections').textContent = human(state.samples[state.samples.length - 1].connections);
  for (const [name, values] of Object.entries(series)) {
    draw('chart-' + name, values);
    $('now-' + name).textContent = values.length ? human(values[values.length - 1]) + '/s' : '';
  }
  const first = state.samples[0].closed;
  const last = state.samples[state.samples.length - 1].closed;
  const body = $('reasons').tBodies[0];
  body.replaceChildren();
  for (const reason of Object.keys(last)) {
    const n = last[reason] - (first[reason] || 0);
    if (n > 0) { const row = body.insertRow(); cell(row, reason); cell(row, n); }
  }
}

function query() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
  if ($('filter-listener').value) params.set('listener', $('filter-listener').value);
  if ($('filter-address').value.trim()) params.set('remoteAddress', $('filter-address').value.trim());
  if ($('filter-principal').value.trim()) params.set('principal', $('filter-principal').value.trim());
  return params;
}

async function refreshConnections() {
  const answer = await api('GET', '/actuator/connections?' + query());
  if (!answer.ok) { report('GET /actuator/connections', answer); return; }
  const page = answer.json;
  state.rows = page.connections;
  $('connections-total').textContent = `(${page.total})`;
  $('connections-total').dataset.total = page.total;
  const last = Math.min(page.total, state.offset + page.connections.length);
  $('page').textContent = page.total ? `${state.offset + 1}–${last} of ${page.total}` : 'none';
  $('prev').disabled = state.offset === 0;
  $('next').disabled = last >= page.total;
  renderConnections();
  refreshPrincipalQueue();
}

// With a principal filter: how many messages wait in its offline queue (every pod's view, from Redis or this pod).
async function refreshPrincipalQueue() {
  const principal = $('filter-principal').value.trim();
  if (!principal) { $('principal-queued').textContent = ''; return; }
  const answer = await api('GET', principalPath(principal));
  const queued = answer.ok ? answer.json.queued : 0;
  $('principal-queued').textContent = `${queued} queued for ${principal}`;
  $('principal-queued').dataset.queued = queued;
}

// A principal may hold '/': each segment is encoded, the slashes stay (the API reads the rest of the path).
function principalPath(principal) {
  return '/actuator/principals/' + principal.split('/').map(encodeURIComponent).join('/');
}

async function lookUpPrincipal() {
  const principal = $('principal-name').value.trim();
  const answer = await api('GET', principalPath(principal));
  if (!answer.ok) { report(`look up ${principal}`, answer); $('principal-info').textContent = ''; return; }
  const found = answer.json;
  const where = found.connections.map((c) => `${c.id} (${c.listener}, ${c.remoteAddress})`).join(', ');
  $('principal-info').textContent = `${found.principal}: ${found.connections.length} connection(s)`
      + `${where ? ': ' + where : ''}; ${found.queued} queued`;
}

// Sorting orders the page on screen; the API pages newest first.
function renderConnections() {
  const rows = [...state.rows];
  if (state.sort) {
    rows.sort((a, b) => (a[state.sort] > b[state.sort] ? 1 : a[state.sort] < b[state.sort] ? -1 : 0) * (state.descending ? -1 : 1));
  }
  const body = $('connections').tBodies[0];
  body.replaceChildren();
  for (const c of rows) {
    const row = body.insertRow();
    row.dataset.id = c.id;
    cell(row, c.id); cell(row, c.listener); cell(row, `${c.remoteAddress}:${c.remotePort}`); cell(row, c.principal);
    cell(row, c.connectedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')); cell(row, c.framesIn); cell(row, c.framesOut);
    cell(row, c.pendingBytes);
    const actions = cell(row, '');
    const message = document.createElement('input');
    message.placeholder = 'message';
    actions.append(message, button('Send', async () => {
      report(`send to ${c.id}`, await api('POST', `/actuator/connections/${encodeURIComponent(c.id)}`, { message: message.value }));
    }), button('Kick', async () => {
      report(`kick ${c.id}`, await api('DELETE', `/actuator/connections/${encodeURIComponent(c.id)}`));
      refreshConnections();
    }));
  }
}

async function refreshBans() {
  const answer = await api('GET', '/actuator/bans');
  if (!answer.ok) return;
  const body = $('bans').tBodies[0];
  body.replaceChildren();
  for (const ban of answer.json.bans) {
    const row = body.insertRow();
    cell(row, ban.address); cell(row, ban.until); cell(row, ban.reason);
    cell(row, '').appendChild(button('Lift', async () => {
      report(`lift ${ban.address}`, await api('DELETE', `/actuator/bans/${ban.address.replace('/', '_')}`));
      refreshBans();
    }));
  }
}

$('filters').addEventListener('submit', (event) => { event.preventDefault(); state.offset = 0; refreshConnections(); });
$('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); refreshConnections(); });
$('next').addEventListener('click', () => { state.offset += PAGE_SIZE; refreshConnections(); });
for (const th of document.querySelectorAll('th[data-sort]')) {
  th.addEventListener('click', () => {
    state.descending = state.sort === th.dataset.sort ? !state.descending : false;
    state.sort = th.dataset.sort;
    renderConnections();
  });
}
$('broadcast').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { message: $('broadcast-message').value };
  if ($('broadcast-listener').value) body.listener = $('broadcast-listener').value;
  report('broadcast', await api('POST', '/actuator/broadcast', body));
});
$('principal').addEventListener('submit', async (event) => {
  event.preventDefault();
  const principal = $('principal-name').value.trim();
  const body = { message: $('principal-message').value };
  if ($('principal-listener').value) body.listener = $('principal-listener').value;
  if ($('principal-ttl').value.trim()) body.ttl = $('principal-ttl').value.trim();
  report(`send to ${principal}`, await api('POST', principalPath(principal), body));
  lookUpPrincipal();
});
$('principal-lookup').addEventListener('click', lookUpPrincipal);
$('principal-disconnect').addEventListener('click', async () => {
  const principal = $('principal-name').value.trim();
  report(`disconnect ${principal}`, await api('DELETE', principalPath(principal)));
  $('principal-info').textContent = '';
});
$('ban').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { address: $('ban-address').value.trim(), closeOpen: $('ban-close-open').checked };
  if ($('ban-duration').value.trim()) body.duration = $('ban-duration').value.trim();
  report('ban', await api('POST', '/actuator/bans', body));
  refreshBans();
});

// While someone types a message into a row, that table is left as it is (a refresh would replace the row).
function typingInConnections() {
  return $('connections').contains(document.activeElement) && document.activeElement.tagName === 'INPUT';
}

async function tick() {
  try {
    await Promise.all([refreshGateway(), refreshStats(), typingInConnections() ? null : refreshConnections(), refreshBans()]);
  } catch (failed) {
    $('status').textContent = 'the gateway did not answer: ' + failed;
    $('status').className = 'bad';
  }
}
tick();
setInterval(tick, POLL_MS);
