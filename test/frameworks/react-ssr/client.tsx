/**
 * The page's client bundle. A call, not a bare `import './hydrate.js'`: the project's
 * package.json marks its other files free of side effects, so a bundler drops such an import.
 */
import { hydratePage } from './hydrate.js';

hydratePage();
