import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin, type Rolldown } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { VitePWA } from 'vite-plugin-pwa'
import { screenNamespaces } from './src/i18n/screens'

// Vant inlines its icon font as a data: URL with a CDN fallback: both are refused by our CSP and
// the data URL weighs 34 KB in the first CSS. We serve the same font as a file (see main.css).
const dropVantIconFontFace: Plugin = {
  name: 'drop-vant-icon-font-face',
  transform(code, id) {
    if (!/vant\/es\/icon\/index\.css$/.test(id)) return null
    return { code: code.replace(/@font-face\s*\{[^}]*vant-icon[^}]*\}/, ''), map: null }
  },
}

// The screens a phone opens the app on, by path. boot.js reads their files (in assets/) from a meta tag
// and asks for them at once, alongside the app's own code, instead of after it has run and picked the screen.
const FIRST_SCREENS: Record<string, string> = {
  '/': 'src/views/home/HomeView.vue',
  '/notices': 'src/views/notices/NoticesView.vue',
  '/guide': 'src/views/guide/GuideHomeView.vue',
  '/me': 'src/views/me/MeView.vue',
}

function screenFiles(bundle: Rolldown.OutputBundle): string {
  const chunks = Object.values(bundle).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk')
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const bySource = (suffix: string) => chunks.find((c) => c.facadeModuleId?.endsWith(suffix))
  // Each chunk after what it imports: the styles then cascade in the order the app itself would add them.
  const closure = (roots: Rolldown.OutputChunk[], seen = new Set<string>(), order: string[] = []) => {
    for (const chunk of roots) {
      if (seen.has(chunk.fileName)) continue
      seen.add(chunk.fileName)
      closure(chunk.imports.map((name) => byName.get(name)!), seen, order)
      order.push(chunk.fileName)
    }
    return order
  }
  const initial = new Set(closure(chunks.filter((c) => c.isEntry)))
  return Object.entries(FIRST_SCREENS)
    .map(([path, source]) => {
      // The Chinese messages only: the English ones are for fewer people and follow a setting.
      const messages = screenNamespaces(path).map((ns) => `src/i18n/zh-CN/${ns}.ts`)
      const roots = [source, ...messages].map((suffix) => bySource(suffix)!)
      const js = closure(roots).filter((name) => !initial.has(name))
      const css = js.flatMap((name) => [...(byName.get(name)!.viteMetadata?.importedCss ?? [])])
      return `${path}=${[...js, ...new Set(css)].map((name) => name.replace(/^assets\//, '')).join(',')}`
    })
    .join(' ')
}

const preloadFirstScreen: Plugin = {
  name: 'preload-first-screen',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler: (html, { bundle }) =>
      bundle ? [{ tag: 'meta', attrs: { name: 'screen-files', content: screenFiles(bundle) }, injectTo: 'head-prepend' }] : [],
  },
}

export default defineConfig({
  plugins: [
    dropVantIconFontFace,
    preloadFirstScreen,
    vue(),
    Components({ resolvers: [VantResolver()], dts: false }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // The shell is precached under "/", the URL the server always answers with it.
        manifestTransforms: [
          async (entries) => ({ manifest: entries.map((e) => (e.url === 'index.html' ? { ...e, url: '/' } : e)) }),
        ],
      },
      manifest: {
        id: '/',
        name: '社区云',
        short_name: '社区云',
        description: '社区服务、通知与住户认证',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#1565c0',
        background_color: '#f5f6f8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  build: { target: 'es2020' },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.spec.ts'],
    setupFiles: ['tests/unit/setup.ts'],
  },
})
