/**
 * k8s/base, checked statically against what the processes need: the process list
 * (scripts/lib/platform-processes.ts), their ports and health routes, their config
 * schemas and their database roles. No cluster needed; nothing is applied.
 *
 * Only the files listed in k8s/base/kustomization.yaml count, as `kubectl apply -k`
 * would see them. Each check collects every problem and fails with the whole list,
 * each entry naming the object (Kind/name) and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { configSchemaOf, connectionVariable, deployedNameOf, frontend, loopbackHost, publicOriginVariable } from './platform-config.ts';
import { platformProcesses, type PlatformProcess } from '../scripts/lib/platform-processes.ts';
import { serviceDatabases } from '../shared/db/src/index.ts';

const base = new URL('../k8s/base/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, base), 'utf8');

// --- what the processes need (see also ./platform-config.ts) ----------------------

/**
 * What each image's Dockerfile sets before the pod's env (ENV NODE_ENV, PORT from the
 * PORT build argument; frontend/Dockerfile also HOST), keyed by image repository.
 */
function imageEnvironmentOf(image: string | undefined): Record<string, string> {
  const repository = (image ?? '').replace(/[:@].*$/, '');
  const process = platformProcesses.find((p) => repository === `twenny/${deployedNameOf[p.name]}`);
  if (!process) return {};
  const env: Record<string, string> = { NODE_ENV: 'production', PORT: String(process.port) };
  if (deployedNameOf[process.name] === frontend) env.HOST = '0.0.0.0';
  return env;
}

// --- reading the manifests ----------------------------------------------------------

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}
interface EnvFrom {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}
interface HttpProbe {
  httpGet?: { path?: string; port?: number | string };
  exec?: unknown;
  tcpSocket?: unknown;
  periodSeconds?: number;
  failureThreshold?: number;
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[] };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
  lifecycle?: { preStop?: { exec?: { command?: string[] }; sleep?: { seconds?: number } } };
}
interface PodSpec {
  containers?: Container[];
  securityContext?: SecurityContext;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: unknown; persistentVolumeClaim?: unknown }[];
}
interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
    template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec };
    ports?: { name?: string; port: number; targetPort?: number | string }[];
    minAvailable?: number | string;
    maxUnavailable?: number | string;
  };
}
interface Kustomization {
  namespace?: string;
  resources?: string[];
}

const kustomization = parse(read('kustomization.yaml')) as Kustomization;
const resourceFiles = kustomization.resources ?? [];

/** Every object in every listed file, with the file it came from; YAML errors as problems. */
const loaded = (() => {
  const objects: { file: string; object: K8sObject }[] = [];
  const problems: string[] = [];
  for (const file of resourceFiles) {
    if (!existsSync(new URL(file, base))) continue;
    for (const document of parseAllDocuments(read(file))) {
      for (const error of document.errors) problems.push(`${file}: YAML error: ${error.message}`);
      const object = document.toJS() as K8sObject | null;
      if (object) objects.push({ file, object });
    }
  }
  return { objects, problems };
})();
const objects = loaded.objects.map((o) => o.object);

const id = (o: K8sObject) => `${o.kind ?? '(no kind)'}/${o.metadata?.name ?? '(no name)'}`;
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

/** The Deployment's main container: the one named like the Deployment, else the first. */
const mainContainerOf = (deployment: K8sObject) => {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.name === deployment.metadata?.name) ?? containers[0];
};
const containerField = (c: Container, field: string) => `spec.template.spec.containers[${c.name}].${field}`;

/** A Secret's values: stringData over base64-decoded data, as the API server merges them. */
function secretValues(secret: K8sObject): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) values[key] = Buffer.from(String(value), 'base64').toString('utf8');
  for (const [key, value] of Object.entries(secret.stringData ?? {})) values[key] = String(value);
  return values;
}
/**
 * secret.yaml is a template: each value is, or holds, CHANGE_ME. A placeholder stands
 * for the operator's value; a secret that cannot be faked without being real (a
 * private key) is a bare CHANGE_ME that the process refuses, so only its presence
 * can be checked.
 */
const placeholder = /CHANGE_ME/;
const sourceValues = (kind: 'ConfigMap' | 'Secret', name: string) => {
  const object = find(kind, name);
  if (!object) return undefined;
  return kind === 'Secret' ? secretValues(object) : Object.fromEntries(Object.entries(object.data ?? {}).map(([k, v]) => [k, String(v)]));
};

/**
 * The container's environment as the kubelet builds it: image ENV, then envFrom in
 * order, then env (which wins). ConfigMap and Secret keys are looked up in the listed
 * files; the Secret's placeholder values count as present. `from` records where each
 * variable came from; a reference that cannot be resolved is a problem.
 */
function environmentOf(deployment: K8sObject, container: Container) {
  const env: Record<string, string> = { ...imageEnvironmentOf(container.image) };
  const from: Record<string, string> = {};
  const problems: string[] = [];
  (container.envFrom ?? []).forEach((source, i) => {
    const [kind, ref] = source.configMapRef ? (['ConfigMap', source.configMapRef] as const) : source.secretRef ? (['Secret', source.secretRef] as const) : [];
    if (!kind || !ref) return;
    const values = sourceValues(kind, ref.name);
    if (!values) {
      if (!ref.optional) problems.push(`${id(deployment)}: ${containerField(container, `envFrom[${i}]`)} names ${kind}/${ref.name}, which no listed file defines`);
      return;
    }
    for (const [key, value] of Object.entries(values)) {
      env[`${source.prefix ?? ''}${key}`] = value;
      from[`${source.prefix ?? ''}${key}`] = `${kind}/${ref.name}`;
    }
  });
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
    if (!ref) {
      if (variable.value !== undefined) env[variable.name] = String(variable.value);
      from[variable.name] = 'value';
      continue;
    }
    const kind = variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
    const value = sourceValues(kind, ref.name)?.[ref.key];
    if (value === undefined) {
      if (!ref.optional) problems.push(`${id(deployment)}: ${containerField(container, `env[${variable.name}]`)} refers to key ${ref.key} of ${kind}/${ref.name}, which no listed file defines`);
      continue;
    }
    env[variable.name] = value;
    from[variable.name] = `${kind}/${ref.name} key ${ref.key}`;
  }
  return { env, from, problems };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };
const portOf = (url: URL) => (url.port ? Number(url.port) : defaultPorts[url.protocol]);

const processOf = (name: string): PlatformProcess | undefined => platformProcesses.find((p) => deployedNameOf[p.name] === name);
/** Every process's Deployment name: the platform processes, and the site in any case. */
const appNames = () => [...new Set([...platformProcesses.map((p) => deployedNameOf[p.name]), frontend])].filter((n): n is string => n !== undefined);
const appDeployments = () =>
  appNames()
    .map((name) => find('Deployment', name))
    .filter((d): d is K8sObject => d !== undefined);

/** A probe's or Service's port (a number or a container port's name) as a number. */
function resolvePort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * One setting of an app Deployment's container as its config schema reads it (the
 * schema default when unset), or undefined when there is no such setting or its value
 * does not parse. Field by field, so one bad variable does not hide other checks.
 */
function settingOf(name: string, variable: string): unknown {
  const deployment = find('Deployment', name);
  const container = deployment && mainContainerOf(deployment);
  const field = configSchemaOf[name]?.shape[variable];
  if (!deployment || !container || !field) return undefined;
  const parsed = field.safeParse(environmentOf(deployment, container).env[variable]);
  return parsed.success ? parsed.data : undefined;
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

// --- the checks -------------------------------------------------------------------

describe('k8s/base', () => {
  it('lists only files that exist and parse, each object with a kind and a name', () => {
    const problems = [...loaded.problems];
    if (resourceFiles.length === 0) problems.push('kustomization.yaml: resources is empty');
    for (const file of resourceFiles) if (!existsSync(new URL(file, base))) problems.push(`kustomization.yaml: resources lists ${file}, which does not exist in k8s/base`);
    for (const { file, object } of loaded.objects) {
      if (!object.apiVersion || !object.kind || !object.metadata?.name) problems.push(`${file}: ${id(object)} lacks apiVersion, kind or metadata.name`);
    }
    const ids = objects.map(id);
    for (const duplicate of new Set(ids.filter((x, i) => ids.indexOf(x) !== i))) problems.push(`${duplicate}: defined more than once`);
    if (kustomization.namespace !== 'twenny') problems.push(`kustomization.yaml: namespace must be twenny, is ${kustomization.namespace}`);
    if (!find('Namespace', 'twenny')) problems.push('Namespace/twenny: missing');
    if (!find('ConfigMap', 'twenny-config')) problems.push('ConfigMap/twenny-config: missing');
    if (!find('Secret', 'twenny-secrets')) problems.push('Secret/twenny-secrets: missing');
    expect(problems).toEqual([]);
  });

  it('has a Deployment for every platform process', () => {
    const problems: string[] = [];
    for (const p of platformProcesses) {
      const name = deployedNameOf[p.name];
      if (!name) problems.push(`platform process "${p.name}" has no Deployment: map it in deployedNameOf (test/k8s.test.ts) and add it to k8s/base`);
      else if (!find('Deployment', name)) problems.push(`Deployment/${name}: missing (runs platform process "${p.name}")`);
      else if (name !== frontend && !configSchemaOf[name]) problems.push(`Deployment/${name}: no config schema registered in configSchemaOf (test/platform-config.ts)`);
    }
    expect(problems).toEqual([]);
  });

  it("runs each process's entry from its image, with a selector that matches its pods", () => {
    const problems: string[] = [];
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const p = processOf(name);
      const container = mainContainerOf(deployment);
      if (!container) {
        problems.push(`${id(deployment)}: spec.template.spec.containers is empty`);
        continue;
      }
      if (!matches(deployment.spec?.selector?.matchLabels, deployment.spec?.template?.metadata?.labels)) problems.push(`${id(deployment)}: spec.selector.matchLabels must be non-empty and match spec.template.metadata.labels`);
      // The worker runs order-service's image with its own entry; the others their own image.
      const image = p && p.cwd !== frontend && p.args[0] !== 'src/main.ts' ? `twenny/${p.cwd}` : `twenny/${name}`;
      if (!container.image?.startsWith(`${image}:`) && !container.image?.startsWith(`${image}@`)) problems.push(`${id(deployment)}: ${containerField(container, 'image')} must be ${image}:<tag>, is ${container.image}`);
      const entry = p?.args[0];
      if (p && entry && entry !== 'src/main.ts' && p.cwd !== frontend) {
        const command = [...(container.command ?? []), ...(container.args ?? [])];
        if (!command.includes(entry)) problems.push(`${id(deployment)}: ${containerField(container, 'command')} must run ${entry} (the image's default entry is src/main.ts), is ${JSON.stringify(command)}`);
        if (!command.includes('@twenny/telemetry/register')) problems.push(`${id(deployment)}: ${containerField(container, 'command')} must keep --import @twenny/telemetry/register`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("probes each process's health routes on the port it listens on", () => {
    const problems: string[] = [];
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const container = mainContainerOf(deployment);
      if (!container) continue;
      const p = processOf(name);
      // The port the process listens on: its config's (WORKER_PORT for the worker), else the platform default.
      const configured = settingOf(name, 'WORKER_PORT' in (configSchemaOf[name]?.shape ?? {}) ? 'WORKER_PORT' : 'PORT');
      const port = typeof configured === 'number' ? configured : (p?.port ?? Number(environmentOf(deployment, container).env.PORT ?? 3000));
      if (p && port !== p.port) problems.push(`${id(deployment)}: the process would listen on ${port}, but platform process "${p.name}" uses ${p.port}`);
      if (!container.ports?.some((cp) => cp.containerPort === port)) problems.push(`${id(deployment)}: ${containerField(container, 'ports')} must include containerPort ${port}`);

      const expected: [keyof Container, string][] = [
        ['readinessProbe', name === frontend ? '/health/live' : '/health/ready'],
        ['livenessProbe', '/health/live'],
        ['startupProbe', '/health/live'],
      ];
      for (const [field, path] of expected) {
        const probe = container[field] as HttpProbe | undefined;
        if (!probe?.httpGet) {
          problems.push(`${id(deployment)}: ${containerField(container, `${field}.httpGet`)} must be set (GET ${path} on ${port})`);
          continue;
        }
        if (probe.httpGet.path !== path) problems.push(`${id(deployment)}: ${containerField(container, `${field}.httpGet.path`)} must be ${path}, is ${probe.httpGet.path}`);
        const probePort = resolvePort(container, probe.httpGet.port);
        if (probePort !== port) problems.push(`${id(deployment)}: ${containerField(container, `${field}.httpGet.port`)} must be ${port} (where the process listens), is ${String(probe.httpGet.port)}${probePort !== undefined && String(probePort) !== String(probe.httpGet.port) ? ` (${probePort})` : ''}`);
      }
      const startup = container.startupProbe;
      const startupSeconds = (startup?.periodSeconds ?? 10) * (startup?.failureThreshold ?? 3);
      if (startup && name !== frontend && startupSeconds < 60) problems.push(`${id(deployment)}: ${containerField(container, 'startupProbe')} allows only ${startupSeconds} s (periodSeconds x failureThreshold); migrations run before the process listens, allow at least 60 s`);
    }
    expect(problems).toEqual([]);
  });

  it("gives every process an environment its config schema accepts", () => {
    const problems: string[] = [];
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const container = mainContainerOf(deployment);
      const schema = configSchemaOf[name];
      if (!container || !schema) continue;
      const { env, from, problems: unresolved } = environmentOf(deployment, container);
      problems.push(...unresolved);
      const parsed = schema.safeParse(env);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          // Provided from the Secret, as a placeholder for the operator's value: present
          // is all this check can ask (the next check wants such placeholders refused).
          const variable = String(issue.path[0] ?? '');
          if (variable && from[variable]?.startsWith('Secret/') && placeholder.test(env[variable] ?? '')) continue;
          problems.push(`${id(deployment)}: ${containerField(container, `env[${issue.path.map(String).join('.') || '(environment)'}]`)}: ${issue.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the Secret a template that fails safe: placeholders only, unreachable or refused until replaced', () => {
    const problems: string[] = [];
    const secret = find('Secret', 'twenny-secrets');
    const values = secret ? secretValues(secret) : {};
    for (const [key, value] of Object.entries(values)) {
      if (!placeholder.test(value)) problems.push(`Secret/twenny-secrets: ${key} must be a placeholder (contain CHANGE_ME), never a real value`);
      const url = parseUrl(value);
      // A connection string: a host that resolves nowhere.
      if (url?.hostname) {
        if (!url.hostname.endsWith('.invalid')) problems.push(`Secret/twenny-secrets: ${key} must point at a host under .invalid, so nothing connects anywhere until it is replaced; points at ${url.hostname}`);
        continue;
      }
      // Any other secret: a value every process that reads it refuses, so one left
      // unreplaced stops the process instead of running with a published secret.
      for (const deployment of appDeployments()) {
        const name = deployment.metadata?.name ?? '';
        const container = mainContainerOf(deployment);
        if (!container) continue;
        const { from } = environmentOf(deployment, container);
        for (const [variable, source] of Object.entries(from)) {
          if (source !== `Secret/twenny-secrets key ${key}` && !(source === 'Secret/twenny-secrets' && variable === key)) continue;
          const field = configSchemaOf[name]?.shape[variable];
          if (field?.safeParse(value).success) problems.push(`${id(deployment)}: ${containerField(container, `env[${variable}]`)} accepts the placeholder of Secret/twenny-secrets key ${key}: make it one the process refuses (a bare CHANGE_ME)`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('sets every connection URL explicitly, never to a localhost default; upstreams point at Services', () => {
    const problems: string[] = [];
    const servicePort = (host: string, port: number | undefined) => {
      const service = find('Service', host.split('.')[0] ?? '');
      return service && service.spec?.ports?.some((p) => p.port === port);
    };
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const container = mainContainerOf(deployment);
      const schema = configSchemaOf[name];
      if (!container) continue;
      const { env } = environmentOf(deployment, container);
      const variables = schema
        ? Object.entries(schema.shape)
            .filter(([variable, field]) => {
              const fallback = field.safeParse(undefined);
              const loopbackDefault = fallback.success && typeof fallback.data === 'string' && loopbackHost.test(parseUrl(fallback.data)?.hostname ?? '');
              return !publicOriginVariable.test(variable) && (connectionVariable.test(variable) || loopbackDefault);
            })
            .map(([variable]) => variable)
        : ['GATEWAY_URL'];
      for (const variable of variables) {
        const field = containerField(container, `env[${variable}]`);
        const value = env[variable];
        if (value === undefined) {
          problems.push(`${id(deployment)}: ${field} is not set, so it would default to localhost, which inside a pod is the pod itself`);
          continue;
        }
        const url = parseUrl(value);
        if (!url) problems.push(`${id(deployment)}: ${field} is not a URL: ${value}`);
        else if (loopbackHost.test(url.hostname)) problems.push(`${id(deployment)}: ${field} points at ${url.hostname}, which inside a pod is the pod itself`);
        else if (/_SERVICE_URL$|^GATEWAY_URL$/.test(variable)) {
          // An upstream in this namespace: the Service of that process, on a port the Service exposes.
          const target = variable === 'GATEWAY_URL' ? 'gateway' : `${/^([A-Z]+)_SERVICE_URL$/.exec(variable)?.[1]?.toLowerCase()}-service`;
          if (url.hostname.split('.')[0] !== target) problems.push(`${id(deployment)}: ${field} must point at Service/${target}, points at ${url.hostname}`);
          else if (!servicePort(url.hostname, portOf(url))) problems.push(`${id(deployment)}: ${field} uses port ${portOf(url)}, which Service/${target} does not expose`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('sets the public origin and token issuer explicitly, never to localhost', () => {
    const problems: string[] = [];
    for (const deployment of appDeployments()) {
      const schema = configSchemaOf[deployment.metadata?.name ?? ''];
      const container = mainContainerOf(deployment);
      if (!schema || !container) continue;
      const { env } = environmentOf(deployment, container);
      for (const variable of Object.keys(schema.shape).filter((v) => publicOriginVariable.test(v))) {
        const value = env[variable];
        const url = value === undefined ? undefined : parseUrl(value);
        if (!url) problems.push(`${id(deployment)}: ${containerField(container, `env[${variable}]`)} must be set to the public https origin`);
        else if (loopbackHost.test(url.hostname)) problems.push(`${id(deployment)}: ${variable} is ${url.hostname}, which no browser outside the pod reaches`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("connects each process to Postgres as its service's own role, from the Secret", () => {
    const problems: string[] = [];
    const keyOwner = new Map<string, string>();
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const p = processOf(name);
      const container = mainContainerOf(deployment);
      if (!p || !container) continue;
      const { env, from } = environmentOf(deployment, container);
      const owned = serviceDatabases.find((d) => d.service === p.cwd);
      const field = containerField(container, 'env[DATABASE_URL]');
      const value = env.DATABASE_URL;
      if (!owned) {
        if (value !== undefined) problems.push(`${id(deployment)}: ${field} is set but ${p.cwd} has no entry in serviceDatabases`);
        continue;
      }
      if (!from.DATABASE_URL?.startsWith('Secret/')) problems.push(`${id(deployment)}: ${field} must come from a Secret (secretKeyRef), comes from ${from.DATABASE_URL ?? 'nowhere'}`);
      const url = value === undefined ? undefined : parseUrl(value);
      if (!url) {
        problems.push(`${id(deployment)}: ${field} must be set (role ${owned.role}), is ${value}`);
        continue;
      }
      const user = decodeURIComponent(url.username);
      if (user !== owned.role) problems.push(`${id(deployment)}: ${field} (${from.DATABASE_URL}) must connect as ${owned.role} (the role that owns schema ${owned.schema}), connects as ${user || 'nobody'}`);
      if (url.pathname !== '/twenny') problems.push(`${id(deployment)}: ${field} (${from.DATABASE_URL}) must name database twenny, names ${url.pathname.slice(1) || 'none'}`);
      // One Secret key per service (order-service and its worker share one).
      const key = from.DATABASE_URL ?? '';
      const owner = keyOwner.get(key);
      if (owner !== undefined && owner !== p.cwd) problems.push(`${id(deployment)}: ${field} uses ${key}, which ${owner} uses too: each service needs its own`);
      keyOwner.set(key, p.cwd);
    }
    for (const variable of ['AMQP_URL', 'REDIS_URL']) {
      for (const deployment of appDeployments()) {
        const container = mainContainerOf(deployment);
        if (!container) continue;
        const { env, from } = environmentOf(deployment, container);
        if (env[variable] !== undefined && !from[variable]?.startsWith('Secret/')) problems.push(`${id(deployment)}: ${containerField(container, `env[${variable}]`)} carries credentials: it must come from a Secret, comes from ${from[variable]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs every container non-root, read-only, unprivileged, with a writable /tmp and resource limits', () => {
    const problems: string[] = [];
    for (const deployment of ofKind('Deployment')) {
      const pod = deployment.spec?.template?.spec;
      for (const container of pod?.containers ?? []) {
        const at = (field: string) => `${id(deployment)}: ${containerField(container, field)}`;
        const own = container.securityContext ?? {};
        const podContext = pod?.securityContext ?? {};
        const runAsNonRoot = own.runAsNonRoot ?? podContext.runAsNonRoot;
        const runAsUser = own.runAsUser ?? podContext.runAsUser;
        if (runAsNonRoot !== true) problems.push(`${at('securityContext.runAsNonRoot')} must be true (here or in spec.template.spec.securityContext)`);
        // The images' USER is "node": the kubelet refuses runAsNonRoot unless the uid is numeric.
        if (typeof runAsUser !== 'number' || runAsUser === 0) problems.push(`${at('securityContext.runAsUser')} must be a non-zero numeric uid (1000, the images' node user): runAsNonRoot cannot verify the images' named USER; is ${runAsUser}`);
        if (own.readOnlyRootFilesystem !== true) problems.push(`${at('securityContext.readOnlyRootFilesystem')} must be true`);
        if (own.allowPrivilegeEscalation !== false) problems.push(`${at('securityContext.allowPrivilegeEscalation')} must be false`);
        if (!own.capabilities?.drop?.includes('ALL')) problems.push(`${at('securityContext.capabilities.drop')} must include ALL`);
        const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
        const volume = tmp && pod?.volumes?.find((v) => v.name === tmp.name);
        if (!volume?.emptyDir) problems.push(`${at('volumeMounts')} must mount an emptyDir at /tmp (the root filesystem is read-only)`);
        for (const mount of container.volumeMounts ?? []) {
          if (!pod?.volumes?.some((v) => v.name === mount.name)) problems.push(`${at(`volumeMounts[${mount.name}]`)} names a volume that spec.template.spec.volumes does not define`);
        }
        for (const kind of ['requests', 'limits'] as const) {
          for (const resource of ['cpu', 'memory']) if (!container.resources?.[kind]?.[resource]) problems.push(`${at(`resources.${kind}.${resource}`)} must be set`);
        }
      }
    }
    // A process that writes files needs a volume there: the root filesystem is read-only.
    for (const deployment of appDeployments()) {
      const container = mainContainerOf(deployment);
      const dir = container && environmentOf(deployment, container).env.MEDIA_STORAGE_DIR;
      if (container && dir && !container.volumeMounts?.some((m) => m.mountPath === dir)) problems.push(`${id(deployment)}: ${containerField(container, 'volumeMounts')} must mount a volume at MEDIA_STORAGE_DIR (${dir})`);
    }
    expect(problems).toEqual([]);
  });

  it('gives each process time to drain on SIGTERM, and rolls out without losing capacity', () => {
    const problems: string[] = [];
    for (const deployment of appDeployments()) {
      const name = deployment.metadata?.name ?? '';
      const pod = deployment.spec?.template?.spec;
      const container = mainContainerOf(deployment);
      if (!container) continue;
      const grace = pod?.terminationGracePeriodSeconds ?? 30;
      const field = `${id(deployment)}: spec.template.spec.terminationGracePeriodSeconds (${grace}${pod?.terminationGracePeriodSeconds === undefined ? ', the default' : ''})`;
      if (configSchemaOf[name]) {
        // Schema defaults where unset.
        const timeout = settingOf(name, 'SHUTDOWN_TIMEOUT_MS');
        const drain = settingOf(name, 'SHUTDOWN_DRAIN_DELAY_MS');
        if (typeof timeout !== 'number' || typeof drain !== 'number') problems.push(`${id(deployment)}: ${containerField(container, 'env')}: SHUTDOWN_TIMEOUT_MS (${String(timeout)}) and SHUTDOWN_DRAIN_DELAY_MS (${String(drain)}) must both be valid numbers`);
        else if (!(grace * 1000 > timeout + drain)) problems.push(`${field} x 1000 must exceed SHUTDOWN_TIMEOUT_MS (${timeout}) + SHUTDOWN_DRAIN_DELAY_MS (${drain})`);
        if (typeof drain === 'number' && drain <= 0) problems.push(`${id(deployment)}: ${containerField(container, 'env[SHUTDOWN_DRAIN_DELAY_MS]')} must be above 0, so readiness goes false before connections are refused`);
      } else if (name === frontend) {
        // adapter-node: SHUTDOWN_TIMEOUT seconds (default 30) after SIGTERM, which comes after preStop.
        const timeout = Number(environmentOf(deployment, container).env.SHUTDOWN_TIMEOUT ?? 30);
        const preStop = container.lifecycle?.preStop;
        const sleep = preStop?.sleep?.seconds ?? (preStop?.exec?.command?.[0] === 'sleep' ? Number(preStop.exec.command[1] ?? 0) : 0);
        if (!(grace > timeout + sleep)) problems.push(`${field} must exceed the preStop sleep (${sleep}) + SHUTDOWN_TIMEOUT (${timeout}) seconds`);
      }
      const strategy = deployment.spec?.strategy;
      if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') problems.push(`${id(deployment)}: spec.strategy.type must be RollingUpdate, is ${strategy?.type}`);
      const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;
      if (maxUnavailable !== 0 && maxUnavailable !== '0%') problems.push(`${id(deployment)}: spec.strategy.rollingUpdate.maxUnavailable must be 0, is ${maxUnavailable ?? 'unset (25%)'}`);
    }
    expect(problems).toEqual([]);
  });

  it("points every Service at a Deployment's pods and container ports", () => {
    const problems: string[] = [];
    for (const service of ofKind('Service')) {
      const selector = service.spec?.selector as Record<string, string> | undefined;
      const targets = ofKind('Deployment').filter((d) => matches(selector, d.spec?.template?.metadata?.labels));
      if (targets.length === 0) {
        problems.push(`${id(service)}: spec.selector ${JSON.stringify(selector)} matches no Deployment's pods`);
        continue;
      }
      for (const port of service.spec?.ports ?? []) {
        const targetPort = port.targetPort ?? port.port;
        for (const deployment of targets) {
          const containers = deployment.spec?.template?.spec?.containers ?? [];
          if (!containers.some((c) => c.ports?.some((cp) => cp.containerPort === resolvePort(c, targetPort)))) problems.push(`${id(service)}: spec.ports[${port.name ?? port.port}].targetPort ${targetPort} is not a container port of ${id(deployment)}`);
        }
      }
    }
    // Every process that others call has a Service on its port (the workers are called by nobody).
    for (const name of [...Object.keys(configSchemaOf).filter((n) => !n.endsWith('-worker')), frontend]) {
      const service = find('Service', name);
      const port = processOf(name)?.port;
      if (!service) problems.push(`Service/${name}: missing`);
      else if (!service.spec?.ports?.some((p) => p.port === port)) problems.push(`Service/${name}: spec.ports must expose ${port}, as the other processes' URLs expect`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps at least one gateway through voluntary disruptions', () => {
    const gateway = find('Deployment', 'gateway');
    const budgets = ofKind('PodDisruptionBudget').filter((b) => matches(b.spec?.selector?.matchLabels, gateway?.spec?.template?.metadata?.labels));
    expect(budgets.map(id), 'a PodDisruptionBudget whose spec.selector matches Deployment/gateway pods').not.toEqual([]);
    const problems: string[] = [];
    for (const budget of budgets) {
      const min = budget.spec?.minAvailable;
      if (typeof min === 'number' && min >= (gateway?.spec?.replicas ?? 1)) problems.push(`${id(budget)}: spec.minAvailable (${min}) must be below Deployment/gateway spec.replicas (${gateway?.spec?.replicas ?? 1}), or nodes can never be drained`);
      if (min === undefined && budget.spec?.maxUnavailable === undefined) problems.push(`${id(budget)}: spec.minAvailable or spec.maxUnavailable must be set`);
    }
    expect(problems).toEqual([]);
  });
});
