// Turn on GOV.UK Frontend's components (menu toggle, error summary focus, notification banners).
// Loaded as a module from this service only: the CSP allows no inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
