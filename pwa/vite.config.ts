import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { VitePWA } from 'vite-plugin-pwa'

// Vant inlines its icon font as a data: URL with a CDN fallback: both are refused by our CSP and
// the data URL weighs 34 KB in the first CSS. We serve the same font as a file (see main.css).
const dropVantIconFontFace: Plugin = {
  name: 'drop-vant-icon-font-face',
  transform(code, id) {
    if (!/vant\/es\/icon\/index\.css$/.test(id)) return null
    return { code: code.replace(/@font-face\s*\{[^}]*vant-icon[^}]*\}/, ''), map: null }
  },
}

export default defineConfig({
  plugins: [
    dropVantIconFontFace,
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
