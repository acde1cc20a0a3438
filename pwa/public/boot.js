// Runs before the first paint: care mode and language from the same key the app writes.
try {
  var p = JSON.parse(localStorage.getItem('cc:prefs') || '{}')
  if (p.care) document.documentElement.classList.add('care')
  if (p.locale === 'en') document.documentElement.lang = 'en'
} catch (e) {
  // Storage blocked: the app applies the defaults once it starts.
}

// The session check starts here rather than once the app's code has arrived: on a slow network that is
// seconds earlier. The app takes this answer for its first "who am I" (api/client.ts), then asks afresh.
try {
  var me = fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  me.catch(function () {}) // offline: the app meets the same failure when it takes the answer
  window.__prefetched = { '/auth/me': me }
} catch (e) {
  // No fetch: the app asks itself.
}

// The first screen's code and messages (listed by the build in a meta tag) are asked for as soon as the
// session is known to be open, rather than once the app's code has run and picked the screen: on a slow
// network that is a second earlier. The app then finds them there and asks for none twice.
try {
  var screens = document.querySelector('meta[name="screen-files"]')
  var files = screens && (' ' + screens.content + ' ').split(' ' + location.pathname + '=')[1]
  if (files && window.__prefetched) {
    window.__prefetched['/auth/me'].then(function (res) {
      if (!res.ok) return
      files.split(' ')[0].split(',').forEach(function (name) {
        if (document.querySelector('link[href$="/' + name + '"]')) return // the app was quicker
        var link = document.createElement('link')
        link.rel = /\.css$/.test(name) ? 'stylesheet' : 'modulepreload'
        link.href = '/assets/' + name
        if (link.rel === 'modulepreload') link.crossOrigin = ''
        document.head.appendChild(link)
      })
    }, function () {})
  }
} catch (e) {
  // A preload that fails costs nothing: the app asks for what it needs itself.
}
