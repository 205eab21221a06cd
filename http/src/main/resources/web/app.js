// virtcaps web page: host summary, filterable guest list, live updates.
// Plain ES2020, no dependencies. All server text goes through textContent.
'use strict';

const $ = (id) => document.getElementById(id);

// EventSource cannot send headers, so a token given in the page URL travels
// as a header on fetches and as a query parameter on the event stream.
const token = new URLSearchParams(location.search).get('access_token');
const authHeaders = token ? { Authorization: 'Bearer ' + token } : {};

// Per-source error messages, so a success of one request does not hide
// the failure of another.
const errors = new Map();

function setError(source, message) {
  if (message) errors.set(source, message); else errors.delete(source);
  // One line per distinct reason: a missing token fails every request alike.
  const bySource = new Map();
  for (const [src, msg] of errors) bySource.set(msg, [...(bySource.get(msg) || []), src]);
  const banner = $('error-banner');
  banner.replaceChildren(...[...bySource].map(([msg, srcs]) => {
    const line = document.createElement('div');
    line.textContent = `${msg} (${srcs.join(', ')})`;
    return line;
  }));
  banner.hidden = errors.size === 0;
}

async function getJson(path, signal) {
  const res = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders }, signal, cache: 'no-store' });
  if (!res.ok) {
    // The server answers errors with a one-line text/plain reason.
    const text = (await res.text().catch(() => '')).trim().split('\n')[0];
    throw new Error(text || `HTTP ${res.status} ${res.statusText}`.trim());
  }
  return res.json();
}

function show(id, value) {
  $(id).textContent = value === undefined || value === null || value === '' ? '—' : String(value);
}

function humanMemory(kib) {
  if (typeof kib !== 'number') return undefined;
  const mib = kib / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

function describeHwVirt(hv) {
  if (!hv) return undefined;
  const parts = [];
  parts.push(hv.cpuFlag ? `CPU flag ${hv.cpuFlag} ${hv.present ? 'present' : 'absent'}`
                        : (hv.present ? 'CPU support present' : 'no CPU support'));
  parts.push(hv.kvmUsable ? 'KVM usable' : 'KVM not usable');
  if (hv.reason) parts.push(hv.reason);
  return parts.join(' · ');
}

// ---- host summary ---------------------------------------------------------

let summaryAbort = null;

async function loadSummary() {
  summaryAbort?.abort();
  summaryAbort = new AbortController();
  try {
    const caps = await getJson('capabilities?format=json', summaryAbort.signal);
    const host = caps.host || {};
    const cpu = host.cpu || {};
    show('h-arch', cpu.arch);
    show('h-model', cpu.model);
    show('h-vendor', cpu.vendor);
    show('h-modelname', cpu.modelName);
    show('h-flags', Array.isArray(cpu.flags) ? cpu.flags.length : undefined);
    show('h-memory', humanMemory(host.memoryKiB));
    show('h-hwvirt', describeHwVirt(host.hardwareVirtualization));
    show('h-numa', Array.isArray(host.numaCells) ? host.numaCells.length : undefined);
    const created = caps.createdAt ? new Date(caps.createdAt) : null;
    show('h-generation', caps.generation === undefined ? undefined : [caps.generation,
      caps.source, created && !isNaN(created) ? created.toLocaleString() : caps.createdAt].filter(Boolean).join(' · '));
    show('h-drivers', (caps.drivers || [])
      .map((d) => `${d.name} (${d.state}${typeof d.guests === 'number' ? ', ' + d.guests + ' guests' : ''})`)
      .join(', '));
    setError('host summary', null);
  } catch (e) {
    if (e.name === 'AbortError') return;
    setError('host summary', e.message);
    // Replace the loading placeholders; values from an earlier load stay.
    for (const dd of $('host-summary').querySelectorAll('dd')) if (dd.textContent === '…') dd.textContent = '—';
  }
}

// ---- filters and guest list -----------------------------------------------

const checkboxes = ['f-fullvirt', 'f-paravirt', 'f-pc', 'f-32', 'f-64'].map($);
// Domain types seen in any response, so an option does not vanish when its
// count drops to zero under the other filters.
const knownDomains = new Set();

function queryString() {
  const q = new URLSearchParams();
  if ($('f-fullvirt').checked) q.set('fullvirt', 'true');
  else if ($('f-paravirt').checked) q.set('fullvirt', 'false');
  if ($('f-pc').checked) q.set('family', 'x86');
  // Both or neither word size means no restriction.
  if ($('f-32').checked !== $('f-64').checked) q.set('wordsize', $('f-32').checked ? '32' : '64');
  if ($('f-domain').value) q.set('domain', $('f-domain').value);
  q.set('lang', $('lang').value || 'en');
  return q.toString();
}

function facetCount(facets, facet, key) {
  const n = facets?.[facet]?.[key];
  return typeof n === 'number' ? n : 0;
}

function renderFacets(facets) {
  for (const box of checkboxes) {
    const n = facetCount(facets, box.dataset.facet, box.dataset.key);
    document.querySelector(`label[for="${box.id}"] .count`).textContent = `(${n})`;
    box.disabled = n === 0 && !box.checked;
  }
  const select = $('f-domain');
  const current = select.value;
  Object.keys(facets?.domain || {}).forEach((d) => knownDomains.add(d));
  if (current) knownDomains.add(current);
  const options = [new Option('any', '')];
  for (const d of [...knownDomains].sort()) {
    const n = facetCount(facets, 'domain', d);
    const opt = new Option(`${d} (${n})`, d);
    opt.disabled = n === 0 && d !== current;
    options.push(opt);
  }
  select.replaceChildren(...options);
  select.value = current;
}

function cell(row, col, text) {
  const td = row.insertCell();
  td.dataset.col = col;
  td.textContent = text === undefined || text === null ? '' : String(text);
  return td;
}

function renderRows(guests, lang) {
  const rows = guests.map((g) => {
    const tr = document.createElement('tr');
    cell(tr, 'arch', g.arch);
    cell(tr, 'wordsize', g.wordsize);
    cell(tr, 'ostype', g.osType);
    cell(tr, 'domain', g.domainType);
    const machine = (g.machines || [])[0];
    const td = cell(tr, 'machine', machine ? machine.name : '');
    if (machine?.description) {
      const desc = document.createElement('span');
      desc.className = 'desc';
      desc.lang = lang;
      desc.textContent = machine.description;
      td.append(desc);
    }
    cell(tr, 'emulator', g.emulator).className = 'path';
    return tr;
  });
  $('guest-table').tBodies[0].replaceChildren(...rows);
}

let guestsAbort = null;

async function loadGuests() {
  guestsAbort?.abort();
  guestsAbort = new AbortController();
  const qs = queryString();
  const table = $('guest-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const r = await getJson('guests?' + qs, guestsAbort.signal);
    const guests = r.guestArchitectures || [];
    renderRows(guests, new URLSearchParams(qs).get('lang'));
    renderFacets(r.facets || {});
    const count = typeof r.count === 'number' ? r.count : guests.length;
    $('result-count').textContent = `${count} of ${r.total ?? count} guest architectures`;
    // Lets tests (and curious people) see which query the table shows.
    table.dataset.query = qs;
    table.dataset.generation = r.generation ?? '';
    setError('guest list', null);
  } catch (e) {
    if (e.name === 'AbortError') return;
    setError('guest list', e.message);
    if (table.dataset.query === undefined) $('result-count').textContent = 'Guest architectures could not be loaded.';
  }
  table.setAttribute('aria-busy', 'false');
}

function onFilterChange(ev) {
  // Full and para virtualization exclude each other.
  if (ev.target.id === 'f-fullvirt' && ev.target.checked) $('f-paravirt').checked = false;
  if (ev.target.id === 'f-paravirt' && ev.target.checked) $('f-fullvirt').checked = false;
  loadGuests();
}

// ---- language ---------------------------------------------------------------

function pickLocale(locales) {
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
  const lower = locales.map((l) => l.toLowerCase());
  for (const w of wanted.map((x) => x.toLowerCase())) {
    const exact = lower.indexOf(w);
    if (exact >= 0) return locales[exact];
    const base = lower.indexOf(w.split('-')[0]);
    if (base >= 0) return locales[base];
  }
  return locales.includes('en') ? 'en' : locales[0];
}

async function loadLocales() {
  let locales = ['en'];
  try {
    const r = await getJson('machines');
    if (Array.isArray(r.locales) && r.locales.length) locales = r.locales;
    setError('languages', null);
  } catch (e) {
    setError('languages', e.message);
  }
  const select = $('lang');
  select.replaceChildren(...locales.map((l) => new Option(l, l)));
  select.value = pickLocale(locales);
}

// ---- live updates -----------------------------------------------------------

let source = null;
let hadError = false;

function setConn(state, text) {
  const el = $('conn-status');
  el.dataset.state = state;
  el.textContent = text;
}

function refreshAll() {
  loadSummary();
  loadGuests();
}

function connectEvents() {
  source = new EventSource('events' + (token ? '?access_token=' + encodeURIComponent(token) : ''));
  source.onopen = () => {
    setConn('connected', 'live: connected');
    // Changes may have happened while the stream was down.
    if (hadError) refreshAll();
    hadError = false;
  };
  source.onerror = () => {
    hadError = true;
    if (source.readyState === EventSource.CLOSED) {
      // The browser gives up on e.g. a 401 or a wrong content type; retry ourselves, slowly.
      setConn('reconnecting', 'live: disconnected, retrying…');
      source.close();
      setTimeout(connectEvents, 10000);
    } else {
      setConn('reconnecting', 'live: reconnecting…');
    }
  };
  source.addEventListener('capabilities', (ev) => {
    let reason = 'changed';
    try { reason = JSON.parse(ev.data).reason || reason; } catch { /* keep the generic reason */ }
    $('live-status').textContent = `updated: ${reason} (${new Date().toLocaleTimeString()})`;
    refreshAll();
  });
}

// ---- start ------------------------------------------------------------------

async function start() {
  $('filters').addEventListener('submit', (ev) => ev.preventDefault());
  for (const box of checkboxes) box.addEventListener('change', onFilterChange);
  $('f-domain').addEventListener('change', loadGuests);
  $('lang').addEventListener('change', loadGuests);
  loadSummary();
  await loadLocales();
  await loadGuests();
  if ('EventSource' in window) connectEvents();
  else setConn('off', 'live updates unavailable');
}

start();
