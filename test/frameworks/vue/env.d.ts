// For tsc, which does not read .vue files (Vite and vue-tsc do).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
