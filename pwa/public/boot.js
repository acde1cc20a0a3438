// Runs before the first paint: care mode and language from the same key the app writes.
try {
  var p = JSON.parse(localStorage.getItem('cc:prefs') || '{}')
  if (p.care) document.documentElement.classList.add('care')
  if (p.locale === 'en') document.documentElement.lang = 'en'
} catch (e) {
  // Storage blocked: the app applies the defaults once it starts.
}
