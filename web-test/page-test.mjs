// End-to-end test of the virtcaps web page in headless Chromium.
//
//   node page-test.mjs <baseUrl> <screenshotPath> [--no-live]
//
// Exit 0 and "PASS" on stdout when the page works; otherwise non-zero with the
// reason on stderr. Unless --no-live is given, the test prints WAITING-FOR-CHANGE
// and then expects the server's capabilities to change (the Java integration
// test that runs this script drops a driver bundle in when it reads that line).
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const noLive = args.includes('--no-live');
const [baseUrl, shotPath] = args.filter((a) => !a.startsWith('--'));
if (!baseUrl) {
  console.error('usage: node page-test.mjs <baseUrl> <screenshotPath> [--no-live]');
  process.exit(2);
}

const TOTAL_MS = 90_000;
const STEP_MS = 15_000;
const LIVE_MS = 30_000;

let browser;
// A hung browser or server must not hang the build that runs us.
const watchdog = setTimeout(() => {
  console.error(`FAIL: page test did not finish within ${TOTAL_MS / 1000} s`);
  setTimeout(() => process.exit(3), 5000).unref();
  Promise.resolve(browser?.close()).catch(() => {}).finally(() => process.exit(3));
}, TOTAL_MS);

// A failed expectation about the page, as opposed to a crash of the test itself.
class Failure extends Error {}
function check(cond, message) {
  if (!cond) throw new Failure(message);
}

function say(line) {
  // Resolve only once the line is handed to the OS, so a reader sees it now.
  return new Promise((resolve) => process.stdout.write(line + '\n', resolve));
}

// What the page currently shows, read in one go.
function snapshot(page) {
  return page.evaluate(() => {
    const table = document.getElementById('guest-table');
    const rows = [...table.tBodies[0].rows];
    const col = (name) => rows.map((r) => r.querySelector(`td[data-col="${name}"]`)?.textContent.trim() ?? '');
    const m = /(\d+) of (\d+)/.exec(document.getElementById('result-count').textContent);
    const banner = document.getElementById('error-banner');
    return {
      query: table.dataset.query,
      rows: rows.length,
      wordsizes: col('wordsize'),
      osTypes: col('ostype'),
      descriptions: rows.map((r) => r.querySelector('td[data-col="machine"] .desc')?.textContent ?? ''),
      shown: m ? Number(m[1]) : null,
      total: m ? Number(m[2]) : null,
      resultText: document.getElementById('result-count').textContent,
      error: banner.hidden ? null : banner.textContent,
      live: document.getElementById('live-status').textContent,
      conn: document.getElementById('conn-status').dataset.state,
    };
  });
}

// Waits until the table shows a finished response to a query with the given
// parameters (value null = parameter absent).
async function waitForQuery(page, want, what) {
  try {
    await page.waitForFunction((want) => {
      const t = document.getElementById('guest-table');
      if (t.getAttribute('aria-busy') !== 'false' || t.dataset.query === undefined) return false;
      if (!/\d+ of \d+/.test(document.getElementById('result-count').textContent)) return false;
      const q = new URLSearchParams(t.dataset.query);
      return Object.entries(want).every(([k, v]) => (v === null ? !q.has(k) : q.get(k) === v));
    }, want, { timeout: STEP_MS });
  } catch (e) {
    const s = await snapshot(page).catch(() => ({}));
    throw new Failure(`${what}: the table did not show ${JSON.stringify(want)} within ${STEP_MS / 1000} s `
      + `(query "${s.query}", result "${s.resultText}", error banner: ${s.error ?? 'none'})`);
  }
  return snapshot(page);
}

async function facetCount(page, id) {
  const text = await page.textContent(`label[for="${id}"] .count`);
  const m = /\((\d+)\)/.exec(text ?? '');
  check(m, `no facet count shown next to #${id} (label says "${text}")`);
  return Number(m[1]);
}

async function run(page, pageErrors) {
  await page.goto(baseUrl, { waitUntil: 'domcontentloaded', timeout: STEP_MS });

  // 1. Unfiltered list.
  let s = await waitForQuery(page, { fullvirt: null, family: null, wordsize: null, domain: null }, 'initial load');
  check(s.error === null, `error banner shown on load: ${s.error}`);
  check(s.shown > 0, `no guest architectures shown ("${s.resultText}")`);
  check(s.shown === s.total, `unfiltered list shows ${s.shown} of ${s.total}`);
  check(s.rows === s.shown, `table has ${s.rows} rows but the result line says ${s.shown}`);
  const total = s.total;
  console.log(`initial: ${s.resultText}`);

  // 2. 64-bit: the facet count promises the row count.
  const n64 = await facetCount(page, 'f-64');
  check(n64 > 0, 'the 64-bit facet count is 0; this test needs at least one 64-bit guest architecture');
  await page.check('#f-64');
  s = await waitForQuery(page, { wordsize: '64' }, 'ticking 64-bit');
  check(s.rows === n64, `64-bit facet said ${n64} but the table has ${s.rows} rows`);
  check(s.wordsizes.every((w) => w === '64'), `non-64 word sizes after ticking 64-bit: ${s.wordsizes.join(',')}`);
  check(s.shown === n64 && s.total === total, `result line "${s.resultText}", expected "${n64} of ${total}"`);
  console.log(`64-bit: ${s.resultText}`);

  // 3. Full virtualization only (and its exclusion of paravirtualization).
  await page.uncheck('#f-64');
  await waitForQuery(page, { wordsize: null }, 'unticking 64-bit');
  if (await page.isEnabled('#f-paravirt')) {
    await page.check('#f-paravirt');
    s = await waitForQuery(page, { fullvirt: 'false' }, 'ticking paravirtualization');
    check(!(await page.isChecked('#f-fullvirt')), 'full and para virtualization both ticked');
  }
  const nFull = await facetCount(page, 'f-fullvirt');
  await page.check('#f-fullvirt');
  s = await waitForQuery(page, { fullvirt: 'true' }, 'ticking full virtualization');
  check(!(await page.isChecked('#f-paravirt')), 'ticking full virtualization left paravirtualization ticked');
  check(s.rows === nFull, `full-virtualization facet said ${nFull} but the table has ${s.rows} rows`);
  check(s.osTypes.every((t) => t === 'hvm'), `non-hvm OS types with full virtualization: ${s.osTypes.join(',')}`);
  console.log(`full virtualization: ${s.resultText}`);

  // 4. Language: descriptions follow it.
  const before = s.descriptions;
  await page.selectOption('#lang', 'fr');
  s = await waitForQuery(page, { lang: 'fr' }, 'choosing French');
  if (before.some((d) => d)) {
    check(s.descriptions.some((d, i) => d !== before[i]), `no machine description changed with lang=fr: ${before.join(' | ')}`);
    console.log(`fr descriptions: ${s.descriptions.filter((d) => d).slice(0, 2).join(' | ')}`);
  } else {
    console.log('no machine descriptions shown; language step checked the query only');
  }

  // 5. Live update.
  if (!noLive) {
    try {
      await page.waitForFunction(() => document.getElementById('conn-status').dataset.state === 'connected',
        null, { timeout: STEP_MS });
    } catch {
      throw new Failure(`the event stream did not connect within ${STEP_MS / 1000} s `
        + `(status "${await page.textContent('#conn-status')}")`);
    }
    const liveBefore = (await snapshot(page)).live;
    await say('WAITING-FOR-CHANGE');
    try {
      await page.waitForFunction(({ liveBefore, total }) => {
        const live = document.getElementById('live-status').textContent;
        const m = /\d+ of (\d+)/.exec(document.getElementById('result-count').textContent);
        return live !== liveBefore && /updated/i.test(live) && m && Number(m[1]) !== total
          && document.getElementById('guest-table').getAttribute('aria-busy') === 'false';
      }, { liveBefore, total }, { timeout: LIVE_MS });
    } catch {
      const now = await snapshot(page);
      throw new Failure(`no live update within ${LIVE_MS / 1000} s: live status "${now.live}", `
        + `result "${now.resultText}" (total was ${total}), connection ${now.conn}`);
    }
    s = await snapshot(page);
    console.log(`live: "${s.live}", now ${s.resultText}`);
  }

  // The layout must not push the page sideways on a narrow screen.
  await page.setViewportSize({ width: 400, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  check(overflow <= 400, `page is ${overflow}px wide in a 400px window`);
  await page.setViewportSize({ width: 1280, height: 900 });

  check(pageErrors.length === 0, `script errors on the page: ${pageErrors.join('; ')}`);
}

let ok = false;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`page console: ${m.text()}`); });
  try {
    await run(page, pageErrors);
    ok = true;
  } catch (e) {
    console.error(`FAIL: ${e?.message ?? e}`);
  } finally {
    if (shotPath) {
      try {
        await page.screenshot({ path: shotPath, fullPage: true, timeout: STEP_MS });
      } catch (e) {
        console.error(`FAIL: could not save screenshot to ${shotPath}: ${e.message}`);
        ok = false;
      }
    }
  }
} catch (e) {
  console.error(`FAIL: could not start Chromium: ${e.message}`);
} finally {
  await browser?.close().catch(() => {});
  clearTimeout(watchdog);
}
if (ok) await say('PASS');
process.exit(ok ? 0 : 1);
