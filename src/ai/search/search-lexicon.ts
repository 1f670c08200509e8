/**
 * A small curated lexicon of incident-domain words that name the same thing, for expanding the words of a search
 * (written from general operations vocabulary, not learned from any data). Each group's words are interchangeable
 * in a query: "db slow" also looks for "database", "postgres", "latency", "delayed"...
 * Words are stemmed (search.service's stem) when the lexicon is loaded.
 */
export const SYNONYM_GROUPS: readonly string[][] = [
  ['db', 'database', 'databases', 'postgres', 'postgresql', 'mysql', 'sql', 'datastore'],
  ['slow', 'slowness', 'latency', 'latencies', 'delay', 'delayed', 'delays', 'lag', 'sluggish', 'timeout', 'timeouts'],
  [
    'outage',
    'down',
    'downtime',
    'unavailable',
    'unavailability',
    'unreachable',
    'inaccessible',
    'offline',
    'disruption',
  ],
  ['error', 'errors', 'failure', 'failures', 'failing', 'failed', 'fail', 'fails', '5xx', '500', '502', '503', '504'],
  ['degraded', 'degradation', 'impaired', 'partial'],
  ['login', 'logins', 'signin', 'sign-in', 'authentication', 'auth', 'sso', 'saml', 'oauth', 'password', '2fa', 'mfa'],
  ['deploy', 'deploys', 'deployment', 'deployments', 'release', 'rollout', 'build', 'builds'],
  ['network', 'networking', 'connectivity', 'packet', 'routing', 'bgp'],
  ['dns', 'resolution', 'resolver', 'nameserver'],
  ['certificate', 'certificates', 'cert', 'tls', 'ssl', 'https'],
  ['email', 'emails', 'mail', 'smtp', 'notification', 'notifications'],
  ['webhook', 'webhooks', 'callback', 'callbacks'],
  ['queue', 'queues', 'queued', 'backlog', 'backlogged'],
  ['storage', 'disk', 'disks', 'volume', 'volumes', 'filesystem'],
  ['payment', 'payments', 'billing', 'invoice', 'invoices', 'checkout', 'charge', 'charges'],
  ['cdn', 'cache', 'caching', 'edge'],
  ['api', 'apis', 'endpoint', 'endpoints', 'rest', 'graphql'],
  ['k8s', 'kubernetes', 'cluster', 'clusters', 'pod', 'pods', 'node', 'nodes'],
  ['vm', 'vms', 'instance', 'instances', 'droplet', 'droplets', 'server', 'servers', 'host', 'hosts'],
  ['ci', 'pipeline', 'pipelines', 'workflow', 'workflows', 'runner', 'runners', 'job', 'jobs'],
  ['repo', 'repos', 'repository', 'repositories', 'git'],
  ['search', 'indexing', 'index', 'elasticsearch'],
  ['ui', 'dashboard', 'console', 'website', 'site', 'page', 'pages', 'portal'],
  ['mobile', 'ios', 'android', 'app', 'apps'],
  ['region', 'regions', 'datacenter', 'datacenters', 'zone', 'zones'],
  ['loss', 'lost', 'missing', 'corrupted', 'corruption'],
  ['spike', 'elevated', 'increased', 'high'],
  ['restore', 'restored', 'recovered', 'recovery', 'mitigated', 'resolved'],
];
