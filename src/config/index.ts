export { readEnvConfiguration, parseKeyValueList, type EnvConfiguration } from './env-configuration';
export { resolveConfiguration } from './resolve-configuration';
export { parseEndpoint, type ParsedEndpoint } from './endpoint';
export * from './options';
