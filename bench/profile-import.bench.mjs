// node bench/profile-import.bench.mjs            (options: --customers=1000000 --large-customers=5000000 --transactions=10000000)
//
// Profile-import benchmark. Builds the app (SWC), generates CSV files under a temporary folder
// (removed afterwards), and for each file measures, in the same run on the same PostgreSQL:
//   - `psql \copy` of the file into a same-shaped table (typed columns and primary key; and the
//     same without any index, the baseline the issue quotes),
//   - the real import through the CLI (`main.js import <dataset> <file>`): parse, check, COPY into
//     staging, duplicate check, upsert into the profiles tables, report and outbox, one transaction;
//     rows per second and the peak RSS of that process (/proc VmHWM).
// Target (issue 4): a 5M-row customers file in at most 2x the `psql \copy` time, peak RSS < 300 MB.
// Also measured: the same 5M customers again with every 10th row changed (the daily case).
// Takes about 8 minutes on 2 cores and needs about 3 GB of disk for the files and tables.
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) and
// `psql`. Creates and drops its own database.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const sizes = {
  customers: Number(args.customers ?? 1_000_000),
  largeCustomers: Number(args['large-customers'] ?? 5_000_000),
  transactions: Number(args.transactions ?? 10_000_000),
};
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `bench_profile_import_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const work = mkdtempSync(join(tmpdir(), 'profile-import-bench-'));

function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

// ---- data -----------------------------------------------------------------------------------
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL', 'PL', 'AT', 'CH'];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];

async function writeLines(path, header, count, line) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(`${header}\n`);
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += line(i);
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return path;
}

function customerId(i) {
  return String(i + 1).padStart(10, '0'); // leading zeros, kept as text
}

/** `changedEvery`: every n-th customer gets another tier (a daily file where some rows changed). */
function customers(path, count, changedEvery = 0) {
  return writeLines(path, 'customer_id,registered_at,country,tier,score,vip', count, (i) => {
    const day = 1 + (i % 28);
    const tier = TIERS[(i + (changedEvery && i % changedEvery === 0 ? 1 : 0)) % 4];
    return `${customerId(i)},2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00Z,${COUNTRIES[i % 10]},${tier},${(i % 1000) / 10},${i % 3 === 0}\n`;
  });
}

function amount(i) {
  const cents = 100 + ((i * 37) % 50000); // integer cents, so the text has at most 2 decimals
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function transactions(path, count, customerCount) {
  return writeLines(path, 'transaction_id,customer_id,occurred_at,amount,currency', count, (i) => {
    const day = 1 + (i % 28);
    return `T${String(i + 1).padStart(11, '0')},${customerId((i * 7919) % customerCount)},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,${amount(i)},EUR\n`;
  });
}

// ---- measurements ---------------------------------------------------------------------------
const SHAPES = {
  customers: 'customer_id text PRIMARY KEY, registered_at timestamptz, country char(2), tier text, score numeric, vip boolean',
  transactions: 'transaction_id text PRIMARY KEY, customer_id text NOT NULL, occurred_at timestamptz NOT NULL, amount numeric(14,2) NOT NULL, currency char(3)',
};

function psqlCopy(dataset, file, withKey) {
  const shape = withKey ? SHAPES[dataset] : SHAPES[dataset].replace(' PRIMARY KEY', '');
  psql(databaseUrl, `DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (${shape})`);
  const started = process.hrtime.bigint();
  execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy bench_copy FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  psql(databaseUrl, 'DROP TABLE bench_copy');
  return seconds;
}

async function cliImport(dataset, file) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(root, 'dist/apps/profile-import/src/main.js'), 'import', dataset, file], {
    env: { ...process.env, DATABASE_URL: databaseUrl, API_TOKEN: 'bench-token-0123456789', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // the process has ended
    }
  }, 20);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`import of ${file} exited ${code}:\n${stderr.slice(-2000)}`);
  const report = JSON.parse(stdout);
  return { seconds, peak, report };
}

async function measure(label, dataset, file, rows, { compare = true } = {}) {
  const bytes = statSync(file).size;
  const copyKeyed = compare ? psqlCopy(dataset, file, true) : NaN;
  const copyPlain = compare ? psqlCopy(dataset, file, false) : NaN;
  const run = await cliImport(dataset, file);
  const { rows: counts, timings } = run.report;
  const result = {
    label,
    rows,
    size: mb(bytes),
    importSeconds: run.seconds.toFixed(1),
    rowsPerSecond: Math.round(rows / run.seconds),
    peakRss: mb(run.peak),
    psqlCopyWithKeySeconds: copyKeyed.toFixed(1),
    psqlCopyNoIndexSeconds: copyPlain.toFixed(1),
    ratioToCopyWithKey: (run.seconds / copyKeyed).toFixed(2),
    ratioToCopyNoIndex: (run.seconds / copyPlain).toFixed(2),
    parseAndCopySeconds: ((Date.parse(timings.parsedAt) - Date.parse(timings.startedAt)) / 1000).toFixed(1),
    // The ingest alone (stream, check, COPY into staging) against psql \copy of the same file.
    ingestRatioToCopyNoIndex: ((Date.parse(timings.parsedAt) - Date.parse(timings.startedAt)) / 1000 / copyPlain).toFixed(2),
    applySeconds: ((Date.parse(timings.finishedAt) - Date.parse(timings.parsedAt)) / 1000).toFixed(1),
    loaded: counts.loaded,
    inserted: counts.inserted,
    updated: counts.updated,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}

async function main() {
  process.stdout.write(`building the app...\n`);
  for (const project of ['libs/app-runtime', 'libs/clock', 'libs/config', 'libs/contracts', 'libs/database', 'libs/messaging', 'libs/observability', 'apps/profile-import']) {
    execFileSync('npx', ['swc', `${project}/src`, '-d', 'dist', '--config-file', '.swcrc', '--quiet'], { cwd: root, stdio: 'inherit' });
  }
  psql(adminUrl, `CREATE DATABASE ${database}`);
  const results = [];
  try {
    execFileSync(process.execPath, [join(root, 'dist/apps/profile-import/src/main.js'), 'migrate'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, API_TOKEN: 'bench-token-0123456789', LOG_LEVEL: 'warn' },
    });
    // Attributes of the customers files: loaded into customers.attributes.
    psql(databaseUrl, `INSERT INTO profiles.attributes (name, type, description, created_at, updated_at) VALUES
      ('tier', 'text', 'bench', now(), now()), ('score', 'number', 'bench', now(), now()), ('vip', 'boolean', 'bench', now(), now())`);
    process.stdout.write(`generating files in ${work}...\n`);
    const small = await customers(join(work, 'customers_20261101.csv'), sizes.customers);
    const large = await customers(join(work, 'customers_20261102.csv'), sizes.largeCustomers);
    const tx = await transactions(join(work, 'transactions_20261101.csv'), sizes.transactions, sizes.largeCustomers);

    psql(databaseUrl, 'TRUNCATE profiles.customers');
    results.push(await measure(`customers ${sizes.customers} (empty table)`, 'customers', small, sizes.customers));
    psql(databaseUrl, 'TRUNCATE profiles.customers; CHECKPOINT');
    results.push(await measure(`customers ${sizes.largeCustomers} (empty table)`, 'customers', large, sizes.largeCustomers));
    // The daily case: the same customers again, every 10th with another tier (not the same file).
    const daily = await customers(join(work, 'customers_20261103.csv'), sizes.largeCustomers, 10);
    psql(databaseUrl, 'CHECKPOINT');
    results.push(await measure(`customers ${sizes.largeCustomers} again, 10 % changed`, 'customers', daily, sizes.largeCustomers, { compare: false }));
    rmSync(daily);
    psql(databaseUrl, 'CHECKPOINT');
    results.push(await measure(`transactions ${sizes.transactions} (empty table)`, 'transactions', tx, sizes.transactions));
  } finally {
    rmSync(work, { recursive: true, force: true });
    psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  process.stdout.write(
    '\n| file | import s | rows/s | peak RSS | psql \\copy s (PK / no index) | import / psql (PK / no index) | ingest s (stream, check, COPY) | ingest / psql no index | apply s | inserted / updated |\n|---|---|---|---|---|---|---|---|---|---|\n',
  );
  const shown = (value) => (value.includes('NaN') ? '–' : value);
  for (const raw of results) {
    const r = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === 'string' ? shown(value) : value]));
    process.stdout.write(
      `| ${r.label} | ${r.importSeconds} | ${r.rowsPerSecond} | ${r.peakRss} | ${r.psqlCopyWithKeySeconds} / ${r.psqlCopyNoIndexSeconds} | ${r.ratioToCopyWithKey} / ${r.ratioToCopyNoIndex} | ${r.parseAndCopySeconds} | ${r.ingestRatioToCopyNoIndex} | ${r.applySeconds} | ${r.inserted} / ${r.updated} |\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = 1;
});
