import Module from 'node:module';

/**
 * jest's globalSetup runs outside jest's module system, so its moduleNameMapper does not apply there: this maps the
 * `.js` suffixes of the sources' relative imports (required by the Node16 module setting) to their `.ts` files.
 */
export function resolveTsFromJs(): void {
  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    try {
      return original.call(this, request, ...rest);
    } catch (error) {
      if (request.startsWith('.') && request.endsWith('.js')) return original.call(this, request.slice(0, -3), ...rest);
      throw error;
    }
  };
}
