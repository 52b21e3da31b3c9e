// Initialise the NHS.UK design system's components (header menu, details, error summary ...).
import { initAll } from '/nhsuk/nhsuk-frontend.min.js'

initAll()
