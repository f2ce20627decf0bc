// Applies the remembered theme before the page paints (loaded in <head>, not deferred).
(function () {
  try {
    var t = localStorage.getItem('agentvine-theme');
    if (t === 'light' || t === 'dark') {
      document.documentElement.setAttribute('data-theme', t);
    }
  } catch (e) { /* storage disabled: the system's preference applies */ }
})();
