// Leaflet and its plugins, bundled (no CDN). The plugins expect a global L.
import L from "leaflet";
import "leaflet/dist/leaflet.css";

window.L = L;
export default L;
