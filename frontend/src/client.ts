import { Client, cacheExchange, fetchExchange } from 'urql';
import type { Session } from './session';

/** The GraphQL client: every request through the session (bearer token, transparent refresh). */
export function createClient(session: Session): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    fetch: session.fetch,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
  });
}
