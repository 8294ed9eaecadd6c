// node bench/profile-import.bench.mjs
//   options: --customers=1000000 --large-customers=5000000 --transactions=10000000 --only=customers|transactions
//
// Profile-import benchmark. Builds the app and libs/synthetic-retailer (the one generator of every
// benchmark), writes the files under a temporary folder (removed afterwards), and for each file
// measures, in the same run on the same PostgreSQL:
//   - `psql \copy` of the file into a table of the same columns with the same keys and indexes as
//     the profiles table (customers: primary key; transactions: primary key and
//     (customer_id, occurred_at)), and the same without any index;
//   - the real import through the CLI (`main.js import <dataset> <file>`): parse, check, COPY into
//     staging, duplicate check, apply into the profiles tables, report and outbox, one transaction;
//     rows per second and the peak RSS of that process (/proc VmHWM).
// Files: customers of a retailer of --customers and of --large-customers customers (first loads
// into an empty table), the large one again with 10 % of the customers changed (revision 1, the
// daily reload), the history of a retailer of --transactions / 10 customers (about --transactions
// transactions, first load), and one day of 1 % new transactions after it (the daily load; its
// `\copy` baseline goes into the keyed copy table still holding the history).
// Targets (issue 8): first load of 10M transactions at most 2x the keyed `\copy`, of 5M customers at
// most 1.5x, the daily 1 % transactions at most 2x; peak RSS under 300 MB throughout.
// Needs PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), `psql`
// and about 4 GB of disk. Creates and drops its own database.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const sizes = {
  customers: Number(args.customers ?? 1_000_000),
  largeCustomers: Number(args['large-customers'] ?? 5_000_000),
  transactions: Number(args.transactions ?? 10_000_000),
};
const only = args.only;
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `bench_profile_import_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
const work = mkdtempSync(join(tmpdir(), 'profile-import-bench-'));
const AS_OF = '2026-11-30';

function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' }).trim();
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

// ---- measurements ---------------------------------------------------------------------------
// The profiles tables' columns, keys and indexes (see the migrations), for `\copy`.
const SHAPES = {
  customers: {
    columns: 'customer_id text, registered_at timestamptz, country char(2), loyalty_tier text, newsletter boolean',
    keys: ['ALTER TABLE bench_copy ADD PRIMARY KEY (customer_id)'],
  },
  transactions: {
    columns: 'transaction_id text, customer_id text NOT NULL, occurred_at timestamptz NOT NULL, amount numeric(14,2) NOT NULL, currency char(3)',
    keys: [
      'ALTER TABLE bench_copy ADD PRIMARY KEY (transaction_id)',
      'CREATE INDEX ON bench_copy (customer_id, occurred_at)',
      'CREATE INDEX ON bench_copy (occurred_at) INCLUDE (customer_id, amount)',
    ],
  },
};

/** Seconds of `\copy` of the file into bench_copy; `fresh` recreates the table (with its keys or none). */
function psqlCopy(dataset, file, { withKeys, fresh = true, keep = false }) {
  if (fresh) {
    psql(databaseUrl, `DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (${SHAPES[dataset].columns})`);
    if (withKeys) for (const statement of SHAPES[dataset].keys) psql(databaseUrl, statement);
    psql(databaseUrl, 'CHECKPOINT');
  }
  const started = process.hrtime.bigint();
  execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy bench_copy FROM '${file}' WITH (FORMAT csv, HEADER true)`]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!keep) psql(databaseUrl, 'DROP TABLE bench_copy');
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

async function measure(label, dataset, file, rows, { compare = true, baseline, plain } = {}) {
  const bytes = statSync(file).size;
  const copyKeyed = baseline ?? (compare ? psqlCopy(dataset, file, { withKeys: true }) : NaN);
  const copyPlain = plain ?? (compare && baseline === undefined ? psqlCopy(dataset, file, { withKeys: false }) : NaN);
  psql(databaseUrl, 'CHECKPOINT');
  const run = await cliImport(dataset, file);
  const { rows: counts, timings } = run.report;
  const result = {
    label,
    rows,
    size: mb(bytes),
    importSeconds: run.seconds.toFixed(1),
    rowsPerSecond: Math.round(rows / run.seconds),
    peakRss: mb(run.peak),
    psqlCopyWithKeysSeconds: copyKeyed.toFixed(1),
    psqlCopyNoIndexSeconds: copyPlain.toFixed(1),
    ratioToCopyWithKeys: (run.seconds / copyKeyed).toFixed(2),
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
  process.stdout.write(`building the app and the generator...\n`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'profile-import', 'synthetic-retailer'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' },
  });
  const { SyntheticRetailer, customersCsv, transactionsCsv, writeCsvFile, CUSTOMER_ATTRIBUTES } = require(`${root}/dist/libs/synthetic-retailer/src/index.js`);
  psql(adminUrl, `CREATE DATABASE ${database}`);
  const results = [];
  try {
    execFileSync(process.execPath, [join(root, 'dist/apps/profile-import/src/main.js'), 'migrate'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, API_TOKEN: 'bench-token-0123456789', LOG_LEVEL: 'warn' },
    });
    // The generator's custom columns, declared: loaded into customers.attributes.
    for (const attribute of CUSTOMER_ATTRIBUTES) {
      psql(databaseUrl, `INSERT INTO profiles.attributes (name, type, description, created_at, updated_at) VALUES ('${attribute.name}', '${attribute.type}', 'bench', now(), now())`);
    }
    process.stdout.write(`generating files in ${work}...\n`);
    if (only !== 'transactions') {
      if (sizes.customers > 0) {
        const small = join(work, 'customers_20261130.csv');
        await writeCsvFile(small, customersCsv(new SyntheticRetailer({ seed: 'bench', customers: sizes.customers, asOfDate: AS_OF })));
        psql(databaseUrl, 'TRUNCATE profiles.customers');
        results.push(await measure(`customers ${sizes.customers} (empty table)`, 'customers', small, sizes.customers));
        rmSync(small);
      }
      const retailer = new SyntheticRetailer({ seed: 'bench', customers: sizes.largeCustomers, asOfDate: AS_OF });
      const large = join(work, 'customers_20261130_large.csv');
      await writeCsvFile(large, customersCsv(retailer));
      psql(databaseUrl, 'TRUNCATE profiles.customers');
      results.push(await measure(`customers ${sizes.largeCustomers} (empty table)`, 'customers', large, sizes.largeCustomers));
      rmSync(large);
      // The daily case: the same customers again, 10 % of them with another tier (not the same file).
      const daily = join(work, 'customers_20261201.csv');
      await writeCsvFile(daily, customersCsv(retailer, { revision: 1, changedShare: 0.1 }));
      results.push(await measure(`customers ${sizes.largeCustomers} again, 10 % changed`, 'customers', daily, sizes.largeCustomers, { compare: false }));
      rmSync(daily);
    }
    if (only !== 'customers') {
      const retailer = new SyntheticRetailer({ seed: 'bench', customers: Math.round(sizes.transactions / 10), asOfDate: AS_OF });
      const history = join(work, 'transactions_20261130.csv');
      await writeCsvFile(history, transactionsCsv(retailer.transactions()));
      const historyRows = Number(execFileSync('wc', ['-l', history], { encoding: 'utf8' }).split(' ')[0]) - 1;
      const day = join(work, 'transactions_20261201.csv');
      const dayRows = Math.round(historyRows / 100);
      await writeCsvFile(day, transactionsCsv(retailer.dayTransactions({ date: AS_OF, count: dayRows })));
      // Baselines first: the history into the keyed table, then the day into it (holding the history).
      const copyPlain = psqlCopy('transactions', history, { withKeys: false });
      const copyKeyed = psqlCopy('transactions', history, { withKeys: true, keep: true });
      psql(databaseUrl, 'CHECKPOINT');
      const copyDay = psqlCopy('transactions', day, { withKeys: true, fresh: false });
      psql(databaseUrl, 'TRUNCATE profiles.transactions');
      results.push(await measure(`transactions ${historyRows} (empty table)`, 'transactions', history, historyRows, { baseline: copyKeyed, plain: copyPlain }));
      rmSync(history);
      results.push(await measure(`transactions ${dayRows} new (1 %) into ${historyRows}`, 'transactions', day, dayRows, { baseline: copyDay }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  process.stdout.write(
    '\n| file | import s | rows/s | peak RSS | psql \\copy s (same keys and indexes / no index) | import / psql (keys / no index) | ingest s (stream, check, COPY) | ingest / psql no index | apply s | inserted / updated |\n|---|---|---|---|---|---|---|---|---|---|\n',
  );
  const shown = (value) => (value.includes('NaN') ? '–' : value);
  for (const raw of results) {
    const r = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === 'string' ? shown(value) : value]));
    process.stdout.write(
      `| ${r.label} | ${r.importSeconds} | ${r.rowsPerSecond} | ${r.peakRss} | ${r.psqlCopyWithKeysSeconds} / ${r.psqlCopyNoIndexSeconds} | ${r.ratioToCopyWithKeys} / ${r.ratioToCopyNoIndex} | ${r.parseAndCopySeconds} | ${r.ingestRatioToCopyNoIndex} | ${r.applySeconds} | ${r.inserted} / ${r.updated} |\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = 1;
});
