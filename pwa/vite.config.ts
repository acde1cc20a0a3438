import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin, type Rolldown } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { VitePWA } from 'vite-plugin-pwa'
import { baseCompile } from '@intlify/message-compiler'
import { screenNamespaces } from './src/i18n/screens'
import { SCREEN_REQUESTS } from './src/screenRequests'

// Vant inlines its icon font as a data: URL with a CDN fallback: both are refused by our CSP and
// the data URL weighs 34 KB in the first CSS. We serve the same font as a file (see main.css).
const dropVantIconFontFace: Plugin = {
  name: 'drop-vant-icon-font-face',
  transform(code, id) {
    if (!/vant\/es\/icon\/index\.css$/.test(id)) return null
    return { code: code.replace(/@font-face\s*\{[^}]*vant-icon[^}]*\}/, ''), map: null }
  },
}

// Messages compiled when the app is built rather than on the phone: the build then carries vue-i18n without its
// compiler (16 KB less code to start, 3 KB less to download), and a screen's first words cost no compiling. Every string
// value in src/i18n/{zh-CN,en}[/<feature>].ts becomes the AST vue-i18n would have made of it; a message that
// does not compile fails the build. Tests and the dev server keep the strings and the full vue-i18n.
type Node = { type: string; start: number; end: number; value?: unknown; [key: string]: unknown }

const isString = (node: unknown) => (node as Node | null)?.type === 'Literal' && typeof (node as Node).value === 'string'

// The strings that are messages: values of properties and items of lists (the names of the days), not keys
// or the paths of imports.
function messageStrings(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((child) => messageStrings(child, found))
  else if (node && typeof node === 'object') {
    const n = node as Node
    if ((n.type === 'Property' && isString(n.value)) || n.type === 'TemplateLiteral') found.push((n.value as Node) ?? n)
    else if (n.type === 'ArrayExpression')
      (n.elements as Node[]).forEach((item) => (isString(item) ? found.push(item) : messageStrings(item, found)))
    else if (n.type !== 'ImportDeclaration') Object.values(n).forEach((child) => messageStrings(child, found))
  }
  return found
}

const precompileMessages: Plugin = {
  name: 'precompile-messages',
  apply: 'build',
  enforce: 'post',
  transform(code, id) {
    if (!/[\\/]src[\\/]i18n[\\/](zh-CN|en)([\\/]\w+)?\.ts$/.test(id)) return null
    let out = code
    for (const literal of messageStrings(this.parse(code)).sort((a, b) => b.start - a.start)) {
      if (literal.type !== 'Literal') this.error(`${id}: a message in backquotes; write it as a plain string`)
      const source = literal.value as string
      if (code.slice(literal.start, literal.end) !== literal.raw) this.error(`${id}: the parser's offsets are not the code's`)
      const { ast } = baseCompile(source, {
        jit: true,
        location: false,
        minify: true,
        onError: (err) => this.error(`${id}: cannot compile message ${JSON.stringify(source)}: ${err.message}`),
      })
      out = out.slice(0, literal.start) + JSON.stringify(ast) + out.slice(literal.end)
    }
    return { code: out, map: null }
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
  const bySource = (suffix: string) => chunks.find((c) => c.moduleIds.some((id) => id.endsWith(suffix)))
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

// What the app's frame and its first screens are made of, grouped into a few files: split one per module, a
// first screen waited for twenty small files, each a round trip on a slow network. The frame's Vant components
// go with Vue in one file loaded with the app; each first screen's own code in one file, what two or more of
// them share in another. Everything else stays split and comes with the screens that use it.
type Closures = { frame: Set<string>; screens: Set<string>[]; components: Set<string> }
let closures: Closures | undefined

function reachable(roots: string[], ctx: Rolldown.ChunkingContext): Set<string> {
  const seen = new Set<string>()
  const visit = (id: string) => {
    if (seen.has(id)) return
    seen.add(id)
    ctx.getModuleInfo(id)?.importedIds.forEach(visit)
  }
  roots.map((f) => fileURLToPath(new URL(f, import.meta.url))).forEach(visit)
  return seen
}

function closuresOf(ctx: Rolldown.ChunkingContext): Closures {
  if (!closures) {
    const frame = reachable(['src/main.ts'], ctx)
    const screens = Object.values(FIRST_SCREENS).map((source) => reachable([source], ctx))
    // Vant is imported through its index, so a component is known by the style file each use imports.
    const all = [frame, ...screens].flatMap((set) => [...set])
    const components = new Set(all.map((m) => /[\\/]vant[\\/]es[\\/]([\w-]+)[\\/]style[\\/]/.exec(m)?.[1] ?? ''))
    closures = { frame, screens, components }
  }
  return closures
}

// Groups by priority: each takes what the ones before left, with what it imports.
const firstScreenGroups: Rolldown.CodeSplittingGroup[] = [
  {
    name: (id, ctx) => {
      const { frame, components } = closuresOf(ctx)
      const component = /[\\/]vant[\\/]es[\\/]([\w-]+)[\\/]/.exec(id)?.[1]
      return (component ? components.has(component) : frame.has(id) && id.includes('node_modules')) ? 'vendor' : null
    },
    priority: 30,
  },
  { name: (id, ctx) => (ownCode(id) && closuresOf(ctx).frame.has(id) ? 'app' : null), priority: 20 },
  { name: (id, ctx) => (ownCode(id) && screensUsing(id, ctx).length > 1 ? 'screens' : null), priority: 15 },
  {
    name: (id, ctx) => {
      const [screen] = ownCode(id) ? screensUsing(id, ctx) : []
      return screen === undefined ? null : `screen-${screen.slice(1) || 'home'}`
    },
    priority: 10,
  },
]

function ownCode(id: string): boolean {
  return id.includes('/src/') && !id.includes('node_modules')
}

// A screen uses the modules its code imports and the Chinese messages of its features (loaded on demand).
function screensUsing(id: string, ctx: Rolldown.ChunkingContext): string[] {
  const { screens } = closuresOf(ctx)
  const messages = /[\\/]i18n[\\/]zh-CN[\\/](\w+)\.ts$/.exec(id)?.[1]
  return Object.keys(FIRST_SCREENS).filter((path, n) =>
    messages ? (screenNamespaces(path) as readonly string[]).includes(messages) : screens[n].has(id),
  )
}

function screenData(): string {
  return Object.entries(SCREEN_REQUESTS).map(([path, urls]) => `${path}=${urls.join(',')}`).join(' ')
}

const preloadFirstScreen: Plugin = {
  name: 'preload-first-screen',
  apply: 'build',
  buildStart: () => void (closures = undefined),
  transformIndexHtml: {
    order: 'post',
    handler: (html, { bundle }) =>
      bundle
        ? [
            { tag: 'meta', attrs: { name: 'screen-files', content: screenFiles(bundle) }, injectTo: 'head-prepend' },
            { tag: 'meta', attrs: { name: 'screen-data', content: screenData() }, injectTo: 'head-prepend' },
          ]
        : [],
  },
}

export default defineConfig(({ command }) => ({
  plugins: [
    precompileMessages,
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
    // The build's messages are compiled already (precompileMessages); tests and the dev server compile them.
    __INTLIFY_DROP_MESSAGE_COMPILER__: command === 'build',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  build: {
    target: 'es2020',
    rolldownOptions: { output: { codeSplitting: { groups: firstScreenGroups } } },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.spec.ts'],
    setupFiles: ['tests/unit/setup.ts'],
  },
}))
