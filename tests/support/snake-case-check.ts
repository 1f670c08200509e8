import { takeSnakeCaseViolations } from './snake-case';

/** Fails the test during which a REST answer or a webhook payload with a camelCase key was seen (snake-case.ts). */
afterEach(() => {
  const { violations } = takeSnakeCaseViolations();
  if (violations.length)
    throw new Error(
      `camelCase keys in REST answers or webhook payloads (the contract is snake_case):\n${violations.join('\n')}`,
    );
});
