import { exitUnlessSupportedNode } from './node-version';

/*
 * Imported FIRST by every entry point (apps/registry/main.ts, each service's main.ts). The compiled
 * entries are CommonJS, so this runs before any later import loads node:sqlite: an older Node gets
 * a message saying what to run instead of ERR_UNKNOWN_BUILTIN_MODULE. Nothing else may be imported
 * here: this file has to load on any Node.
 */
exitUnlessSupportedNode();

export { exitUnlessSupportedNode, MINIMUM_NODE, unsupportedNodeMessage } from './node-version';
