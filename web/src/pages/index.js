// Every page: its path, who may open it, its navigation label and group.
import { ADMINS, DESK, LEADERS, WORKERS } from "../lib/auth.js";
import PublicMap from "./public/map.jsx";
import ReportPage from "./public/report.jsx";
import Rankings from "./public/rankings.jsx";
import Works from "./public/works.jsx";
import Work from "./public/work.jsx";
import SignIn from "./staff/signin.jsx";
import Queue from "./staff/queue.jsx";
import Inbox from "./staff/inbox.jsx";
import Escalations from "./staff/escalations.jsx";
import Overview from "./leaders/overview.jsx";
import Sla from "./leaders/sla.jsx";
import Export from "./leaders/export.jsx";
import Pilot from "./admin/pilot.jsx";
import AdminCategories from "./admin/categories.jsx";
import AdminStaff from "./admin/staff.jsx";

// nav: {id, en} label; roles: null = everyone
export const PAGES = [
  { path: "/", page: PublicMap, nav: { id: "Peta", en: "Map" }, group: "public" },
  { path: "/report/:id", page: ReportPage },
  { path: "/rankings", page: Rankings, nav: { id: "Peringkat", en: "Rankings" }, group: "public" },
  { path: "/works", page: Works, nav: { id: "Pekerjaan umum", en: "Public works" }, group: "public" },
  { path: "/works/:id", page: Work },
  { path: "/overview", page: Overview, roles: LEADERS, nav: { id: "Ringkasan", en: "Overview" }, group: "leaders" },
  { path: "/sla", page: Sla, roles: LEADERS, nav: { id: "Kepatuhan SLA", en: "SLA" }, group: "leaders" },
  { path: "/export", page: Export, roles: [...LEADERS, ...DESK, "officer"], nav: { id: "Ekspor CSV", en: "CSV export" }, group: "leaders" },
  { path: "/queue", page: Queue, roles: DESK, nav: { id: "Verifikasi", en: "Verification" }, group: "staff" },
  { path: "/inbox", page: Inbox, roles: WORKERS, nav: { id: "Kotak masuk", en: "Inbox" }, group: "staff" },
  { path: "/escalations", page: Escalations, roles: [...WORKERS, ...DESK], nav: { id: "Eskalasi", en: "Escalations" }, group: "staff" },
  { path: "/admin/pilot", page: Pilot, roles: ADMINS, nav: { id: "Masa uji coba", en: "Pilot" }, group: "admin" },
  { path: "/admin/categories", page: AdminCategories, roles: ADMINS, nav: { id: "Kategori & dinas", en: "Categories & agencies" }, group: "admin" },
  { path: "/admin/staff", page: AdminStaff, roles: ADMINS, nav: { id: "Akun staf", en: "Staff accounts" }, group: "admin" },
  { path: "/signin", page: SignIn },
];
