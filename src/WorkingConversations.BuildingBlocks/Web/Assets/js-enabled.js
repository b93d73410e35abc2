// Tells the NHS.UK styles that script runs, before the page is drawn (the template's inline script, as a file so that the
// content security policy needs no exception for inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
