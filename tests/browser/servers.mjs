// Starts the real servers the page needs, each on a free port with its own logs and tracker database in a temporary
// folder: the action server, the Rasa server (REST channel, --cors for the page's origin only) and the page server.
// Paths come from the environment, as scripts/test.sh sets them: RASA_BIN, RASA_PYTHON, RASA_MODEL, ACTIONS_PYTHON.

import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START_DEADLINE_MS = 300_000;

export function missingEnvironment() {
  return ['RASA_BIN', 'RASA_PYTHON', 'RASA_MODEL', 'ACTIONS_PYTHON'].filter((name) => !process.env[name]);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function tail(path) {
  try {
    return readFileSync(path, 'utf8').slice(-3000);
  } catch {
    return '(no log)';
  }
}

async function waitUntilHealthy(server, url) {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) {
      throw new Error(`${server.name} exited with ${server.process.exitCode}:\n${tail(server.log)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 500));
  }
  throw new Error(`${server.name} not healthy at ${url} after ${START_DEADLINE_MS / 1000}s:\n${tail(server.log)}`);
}

function start(name, command, args, { cwd, log, env }) {
  const process_ = spawn(command, args, {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')], detached: true,
  });
  return { name, process: process_, log };
}

function stop(server) {
  if (!server || server.process.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      try { process.kill(-server.process.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, 20_000);
    server.process.once('exit', () => { clearTimeout(timer); done(); });
    try { process.kill(-server.process.pid, 'SIGTERM'); } catch { clearTimeout(timer); done(); }
  });
}

export async function startServers() {
  const workdir = mkdtempSync(join(tmpdir(), 'cx-browser-'));
  const [actionPort, rasaPort, webPort] = [await freePort(), await freePort(), await freePort()];
  const pageOrigin = `http://127.0.0.1:${webPort}`;
  // PYTHONPATH: Rasa, started in its own folder, imports the project's channels (credentials.yml) and NLU
  // components (the trained model) from the checkout, as make run has it do.
  const pythonPath = [PROJECT_ROOT, process.env.PYTHONPATH].filter(Boolean).join(':');
  const env = { RASA_TELEMETRY_ENABLED: 'false', SQLALCHEMY_SILENCE_UBER_WARNING: '1', PYTHONPATH: pythonPath };
  writeFileSync(join(workdir, 'endpoints.yml'),
    `action_endpoint:\n  url: "http://127.0.0.1:${actionPort}/webhook"\n`
    + `tracker_store:\n  type: stores.tracker_store.CheckedSQLTrackerStore\n  url: "sqlite:///${join(workdir, 'tracker.db')}"\n`);
  const servers = { workdir, pageUrl: `${pageOrigin}/`, rasaUrl: `http://127.0.0.1:${rasaPort}`, list: [] };
  servers.stopAll = async () => {
    for (const server of servers.list.reverse()) await stop(server);
  };
  try {
    const actions = start('action server', process.env.ACTIONS_PYTHON,
      ['-m', 'actions.server', '--port', String(actionPort)],
      { cwd: PROJECT_ROOT, log: join(workdir, 'actions.log'), env });
    servers.list.push(actions);
    const rasa = start('Rasa server', process.env.RASA_BIN, [
      'run', '--model', process.env.RASA_MODEL, '--endpoints', join(workdir, 'endpoints.yml'),
      '--credentials', join(PROJECT_ROOT, 'credentials.yml'), '--port', String(rasaPort), '--interface', '127.0.0.1',
      '--cors', pageOrigin,
    ], { cwd: workdir, log: join(workdir, 'rasa.log'), env });
    servers.list.push(rasa);
    const web = start('page server', process.env.RASA_PYTHON, [
      join(PROJECT_ROOT, 'scripts', 'serve_web.py'), '--port', String(webPort), '--rasa-url', servers.rasaUrl,
    ], { cwd: PROJECT_ROOT, log: join(workdir, 'web.log'), env });
    servers.list.push(web);
    // The two Python servers load in parallel; the page server is up at once.
    await waitUntilHealthy(web, `${servers.pageUrl}config.json`);
    await waitUntilHealthy(actions, `http://127.0.0.1:${actionPort}/health`);
    await waitUntilHealthy(rasa, `${servers.rasaUrl}/`);
  } catch (error) {
    await servers.stopAll();
    throw error;
  }
  return servers;
}
