import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyHost } from '../../db/config/host-kind';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';
import type { RedisDoctorContext } from './redis-doctor-context';
import { RedisUrlError, parseRedisTarget } from './redis-target';
import { RespConnection, RespErrorReply, RespSocketError } from './resp-connection';
import { probeTcp } from '../tcp-probe';

type RedisStep = DoctorStepDefinition<RedisDoctorContext>;

export const redisUrlStep: RedisStep = {
  id: 'url',
  title: 'Store URL',
  deadlineMs: 1000,
  async run(context) {
    const from = context.input.urlLabel ?? '--redis';
    try {
      const target = parseRedisTarget(context.input.url);
      context.target = target;
      const who = target.username ? `ACL user "${target.username}" with a password` : target.password !== undefined ? 'the default user with a password' : 'no credentials';
      return pass(`${target.masked} (from ${from})`, [`${target.tls ? 'TLS (rediss://)' : 'plain TCP (redis://)'}; database ${target.db}; ${who}`]);
    } catch (error) {
      if (error instanceof RedisUrlError) return fail(`${from}: ${error.message}`, error.remedy, error.code);
      throw error;
    }
  },
};

export const redisDnsStep: RedisStep = {
  id: 'dns',
  title: 'Name resolution (DNS)',
  deadlineMs: 5000,
  timeoutRemedy: (context) => `The resolver did not answer for ${context.target?.host}: check your network, VPN or DNS settings.`,
  async run(context) {
    const target = context.target;
    if (!target) return skip('no target');
    if (isIP(target.host)) {
      context.addresses = [{ address: target.host, family: isIP(target.host) }];
      return pass(`${target.host} is an IP address (IPv${isIP(target.host)})`);
    }
    try {
      const addresses = await lookup(target.host, { all: true, verbatim: true });
      context.addresses = addresses;
      return pass(`${target.host} → ${addresses.map((a) => a.address).join(', ')}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
      const remedy =
        classifyHost(target.host) === 'service-name'
          ? `"${target.host}" looks like a Docker compose service name, which resolves only inside the compose network: from the host use localhost and the port the service publishes (\`ports: ["6379:6379"]\`).`
          : `Check the spelling of "${target.host}"; for a managed Redis copy the endpoint from the provider's console, for a local one use localhost.`;
      return fail(`${target.host} does not resolve (${code})`, remedy, code);
    }
  },
};

export const redisTcpStep: RedisStep = {
  id: 'tcp',
  title: 'TCP connection',
  deadlineMs: 6000,
  timeoutRemedy: (context) => `Connections to ${context.target?.host}:${context.target?.port} hang: a firewall or security group drops them. Allow the port from this machine, or connect through the right network/VPN.`,
  async run(context, signal) {
    const target = context.target;
    if (!target) return skip('no target');
    const addresses = context.addresses ?? [];
    const results = await Promise.all(addresses.map((a) => tryConnect(a.address, target.port, signal)));
    const evidence = results.map((r, i) => `${addresses[i]?.address}:${target.port} → ${r.ok ? `connected in ${r.ms.toFixed(1)} ms` : `${r.code} after ${r.ms.toFixed(0)} ms`}`);
    const firstOk = results.findIndex((r) => r.ok);
    if (firstOk >= 0) {
      context.reachable = addresses[firstOk]?.address;
      return pass(`port ${target.port} open on ${context.reachable}`, evidence);
    }
    const code = results[0]?.code ?? 'ECONNREFUSED';
    if (code === 'ECONNREFUSED') {
      const local = classifyHost(target.host) === 'loopback';
      return fail(
        `nothing accepts connections on ${target.host}:${target.port} (ECONNREFUSED)`,
        local
          ? `Start Redis on this machine (\`redis-server\`, \`docker run -p ${target.port}:6379 redis:7\`) or fix the port in the URL (Redis listens on 6379 unless told otherwise). Inside a container, localhost is the container itself: use the compose service name or host.docker.internal.`
          : `Nothing listens on ${target.host}:${target.port}: check that Redis runs there, the port (6379 by default; managed services often use 6380 for TLS), and that it binds to an address reachable from here (\`bind\` in redis.conf, protected-mode).`,
        code,
        evidence,
      );
    }
    return fail(`connections to ${target.host}:${target.port} fail (${code})`, 'Packets are dropped or the network is unreachable: check firewalls, security groups and VPNs between this machine and Redis.', code, evidence);
  },
};

/** rediss:// completes a TLS handshake here and keeps the session for the steps after it. */
export const redisTlsStep: RedisStep = {
  id: 'tls',
  title: 'TLS',
  deadlineMs: 3000,
  // A plain Redis reads the ClientHello as the start of a command and waits for the rest: no error, no answer.
  timeoutRemedy: (context) =>
    `The server accepted TCP but never answered the TLS handshake: it most likely speaks plain Redis on port ${context.target?.port}. Use redis:// for this port, or the server's TLS port (tls-port in redis.conf; managed services often use 6380).`,
  async run(context, signal) {
    const target = context.target;
    if (!target || !context.reachable) return skip('no target');
    if (!target.tls) return skip('plain TCP (redis://): no TLS asked for', ['use rediss:// when Redis is reached over a network you do not control']);
    try {
      const connection = await RespConnection.open({ host: context.reachable, port: target.port, tls: { servername: isIP(target.host) ? undefined : target.host, ...context.input.tls } }, signal);
      context.connection = connection;
      context.cleanups.push(async () => connection.close());
      return pass('TLS handshake completed, certificate verified');
    } catch (error) {
      const code = error instanceof RespSocketError ? error.code : 'TLS_FAILED';
      const message = error instanceof Error ? error.message : String(error);
      if (/wrong version number|packet length too long/i.test(message)) {
        return fail('the server does not speak TLS on this port', `Use redis:// for this port, or the TLS port of the server (tls-port in redis.conf; managed services often use 6380).`, 'TLS_NOT_OFFERED', [message]);
      }
      return fail(`the TLS handshake failed (${code})`, code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `The certificate is not for ${target.host}: connect by the name on the certificate.` : 'Give Node the CA that signed the server certificate (NODE_EXTRA_CA_CERTS=/path/ca.pem), or connect by the name on the certificate.', code, [message]);
    }
  },
};

export const redisAuthStep: RedisStep = {
  id: 'auth',
  title: 'Authentication (AUTH / ACL)',
  deadlineMs: 5000,
  async run(context, signal) {
    const target = context.target;
    if (!target || !context.reachable) return skip('no target');
    let connection = context.connection;
    if (!connection) {
      const opened = await RespConnection.open({ host: context.reachable, port: target.port, tls: false }, signal);
      context.connection = opened;
      context.cleanups.push(async () => opened.close());
      connection = opened;
    }
    const who = target.username ? `ACL user "${target.username}"` : 'the default user';
    let evidence: string[];
    if (target.password !== undefined) {
      const reply = await connection.command(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password], signal);
      if (reply instanceof RespErrorReply) {
        if (reply.code === 'WRONGPASS' || /invalid password/i.test(reply.message)) {
          return fail(`Redis refused the password for ${who} (WRONGPASS)`, target.username ? `Check the user name and password in the URL (the user may also be disabled: \`ACL GETUSER ${target.username}\` on the server shows "off").` : 'Check the password in the URL against `requirepass` (or the default user\'s ACL password); percent-encode @, : and / inside it.', 'WRONGPASS');
        }
        if (/without any password configured/i.test(reply.message)) {
          return warn(`the URL carries a password, but Redis has none set for ${who}`, 'Remove the password from the URL, or set `requirepass` on the server if it is reachable by others.', 'NO_PASSWORD_SET');
        }
        return fail(`AUTH failed: ${reply.message}`, 'Check the credentials in the URL.', reply.code);
      }
      evidence = [`AUTH as ${who} → OK`];
    } else {
      // No credentials: a PING tells whether the server lets the default user in without them.
      const reply = await connection.command(['PING'], signal);
      if (reply instanceof RespErrorReply && reply.code === 'NOAUTH') {
        return fail('Redis requires a password and the URL has none (NOAUTH)', 'Put the password in the URL: redis://:<password>@host:port (or redis://<user>:<password>@host:port for an ACL user), percent-encoded.', 'NOAUTH');
      }
      evidence = ['no credentials in the URL; the server let the default user in'];
    }
    if (target.db !== 0) {
      const selected = await connection.command(['SELECT', target.db], signal);
      if (selected instanceof RespErrorReply) {
        return fail(`database ${target.db} cannot be selected: ${selected.message}`, selected.code === 'NOPERM' ? `Grant SELECT to ${who}, or use database 0.` : 'Use a database index below the server\'s `databases` setting (16 by default); Redis Cluster has only database 0.', selected.code);
      }
      evidence.push(`SELECT ${target.db} → OK`);
    }
    return pass(target.password !== undefined ? `authenticated as ${who}` : 'no password needed', evidence);
  },
};

function tryConnect(host: string, port: number, signal: AbortSignal, timeoutMs = 3000): ReturnType<typeof probeTcp> {
  return probeTcp(host, port, signal, timeoutMs);
}
