/**
 * Component names are namespaced per service (`auth.User`), so two services'
 * `User` schemas cannot collide in the merged document; every local `$ref` is
 * rewritten to match. References to other documents are left alone.
 */

const componentRef = /^#\/components\/([^/]+)\/([^/]+)(.*)$/;

function decodePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A component name OpenAPI accepts (`^[a-zA-Z0-9.\-_]+$`), prefixed with the service. */
export function namespacedName(namespace: string, name: string): string {
  return `${namespace}.${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Parses a local component reference: section, original name, and what follows the name. */
export function parseComponentRef(ref: string): { section: string; name: string; rest: string } | undefined {
  const match = componentRef.exec(ref);
  if (!match) return undefined;
  return { section: match[1]!, name: decodePointer(match[2]!), rest: match[3]! };
}

/** A deep copy of `value` with every local component `$ref` pointing at its namespaced name. */
export function rewriteRefs<T>(value: T, namespace: string): T {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, namespace)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') {
      const ref = parseComponentRef(child);
      copy[key] = ref ? `#/components/${ref.section}/${namespacedName(namespace, ref.name)}${ref.rest}` : child;
    } else {
      copy[key] = rewriteRefs(child, namespace);
    }
  }
  return copy as T;
}

/** Every local component reference inside `value`, as `[section, name]`. */
export function referencedComponents(value: unknown, found: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) {
    for (const item of value) referencedComponents(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const ref = parseComponentRef(child);
        if (ref) found.push([ref.section, ref.name]);
      } else {
        referencedComponents(child, found);
      }
    }
  }
  return found;
}
