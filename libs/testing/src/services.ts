import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import { Client } from 'pg';

const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

const HOW_TO_START = `Integration tests need PostgreSQL and RabbitMQ. Either
  - set DATABASE_URL (a server where the user may CREATE DATABASE) and AMQP_URL, or
  - start the local services: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
    and rabbitmq-server -detached && rabbitmqctl await_startup (as .ci/run does), or
  - run a Docker engine, and testcontainers starts both.`;

export type TestServices = { databaseUrl: string; amqpUrl: string; stop: () => Promise<void> };

/**
 * Finds the services for a test run, once (jest globalSetup): the URLs given in the environment,
 * else the local servers, else containers where a Docker engine runs. Fails loudly otherwise:
 * a test that needs a service never skips quietly.
 */
export async function resolveTestServices(env: Record<string, string | undefined>): Promise<TestServices> {
  if (env['TEST_DATABASE_ADMIN_URL'] && env['TEST_AMQP_URL']) {
    return { databaseUrl: env['TEST_DATABASE_ADMIN_URL'], amqpUrl: env['TEST_AMQP_URL'], stop: () => Promise.resolve() };
  }
  const databaseUrl = env['DATABASE_URL'] ?? LOCAL_DATABASE_URL;
  const amqpUrl = env['AMQP_URL'] ?? LOCAL_AMQP_URL;
  const problems = await probe(databaseUrl, amqpUrl);
  if (problems.length === 0) return { databaseUrl, amqpUrl, stop: () => Promise.resolve() };
  if (!env['DATABASE_URL'] && !env['AMQP_URL'] && (await dockerEngineRuns())) return startContainers();
  throw new Error(`${problems.join('\n')}\n\n${HOW_TO_START}`);
}

async function probe(databaseUrl: string, amqpUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    problems.push(`PostgreSQL is not reachable at ${redact(databaseUrl)}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  try {
    const connection = await amqplib.connect(amqpUrl, { timeout: 3_000 });
    await connection.close();
  } catch (error) {
    problems.push(`RabbitMQ is not reachable at ${redact(amqpUrl)}: ${(error as Error).message}`);
  }
  return problems;
}

async function dockerEngineRuns(): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<TestServices> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const [postgres, rabbit] = await Promise.all([
    new PostgreSqlContainer('postgres:15').start(),
    new RabbitMQContainer('rabbitmq:3.13-management').start(),
  ]);
  return {
    databaseUrl: postgres.getConnectionUri(),
    amqpUrl: rabbit.getAmqpUrl(),
    stop: async () => {
      await Promise.all([postgres.stop(), rabbit.stop()]);
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@');
}
