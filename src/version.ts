import { name, version } from '../package.json';

/** Package name, used as the instrumentation scope of the self-metrics. */
export const PACKAGE_NAME: string = name;
export const PACKAGE_VERSION: string = version;
