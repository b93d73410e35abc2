// Progressive enhancement only: every page works without it (the components' own behaviour, such as the error summary
// taking focus and the header menu folding up on small screens).
import { initAll } from './nhsuk-frontend-10.6.1.min.js'

initAll()
