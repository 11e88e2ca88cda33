/**
 * Who may scrape /metrics (config `http.metrics`): a client from an allowed network, or one that
 * sends the bearer token. Networks are matched with node:net's BlockList; an IPv4 client seen on a
 * dual-stack socket as `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2) is matched as IPv4.
 */
import { BlockList, isIP } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

export interface MetricsAccessConfig {
  token?: string;
  allow: readonly string[];
}

/** 200: scrape; 401: a token was needed (none or a wrong one); 403: not from an allowed network and no token is configured. */
export type AccessVerdict = 200 | 401 | 403;

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export function createMetricsAccess(
  config: MetricsAccessConfig,
): (remoteAddress: string | undefined, authorization: string | undefined) => AccessVerdict {
  const allowed = new BlockList();
  for (const net of config.allow) {
    const [address = '', prefix] = net.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    allowed.addSubnet(address, prefix === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefix), type);
  }
  const token = config.token ? Buffer.from(config.token) : undefined;

  const fromAllowedNetwork = (remote: string | undefined): boolean => {
    if (!remote) return false;
    const v4 = MAPPED_V4.exec(remote)?.[1];
    if (v4) return allowed.check(v4, 'ipv4');
    const family = isIP(remote);
    return family !== 0 && allowed.check(remote, family === 6 ? 'ipv6' : 'ipv4');
  };
  const tokenMatches = (authorization: string | undefined): boolean => {
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token || !given) return false;
    const b = Buffer.from(given);
    return b.length === token.length && timingSafeEqual(b, token);
  };

  return (remote, authorization) => {
    if (fromAllowedNetwork(remote) || tokenMatches(authorization)) return 200;
    return token ? 401 : 403;
  };
}
