/**
 * The negative twin's bundle: the element's package entry, imported before hydration as an
 * app's bundle would, with the bare element's `session-id` already in the server HTML.
 */
import '../../../src/index.js';
import { hydratePage } from './hydrate.js';

hydratePage();
