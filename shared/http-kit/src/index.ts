export { HttpProblem, problemTypes, type FieldError, type ProblemBody } from './problem.ts';
export { parseInput, validated } from './validate.ts';
export { createHttpApp, type HttpAppOptions, type ReadinessCheck } from './create-http-app.ts';
export { startHttpServer, type RunningServer } from './start-http-server.ts';
export { requestContext } from './request-context.ts';
export { addressBucket } from './address-bucket.ts';
