// Saves the bid form as a draft a moment after typing stops, so nothing typed is lost; the
// page says when. Without JavaScript the "Concept opslaan" button does the same.
document.querySelectorAll('form[data-autosave]').forEach((form) => {
  const status = form.querySelector('.autosave-status');
  let timer;
  const save = async () => {
    const body = new URLSearchParams(new FormData(form));
    try {
      const r = await fetch(form.action, { method: 'POST', body, headers: { 'X-Autosave': '1' }, credentials: 'same-origin' });
      const time = new Date().toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' });
      status.textContent = r.ok
        ? `Concept automatisch opgeslagen om ${time}. Nog niet ingediend.`
        : 'Automatisch opslaan lukte niet; gebruik de knop Concept opslaan.';
    } catch {
      status.textContent = 'Automatisch opslaan lukte niet; gebruik de knop Concept opslaan.';
    }
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
});
