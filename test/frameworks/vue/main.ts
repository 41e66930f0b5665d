/** A Vite + Vue 3 storefront page with `<ledyer-checkout>`, as the README's Vue section sets it up. */
import { createApp } from 'vue';
import '../../../src/index.js';
import App from './App.vue';

createApp(App).mount('#app');
