"""Languages: Indonesian by default, English when the client prefers it.

Every user-facing message has both texts here; ``tests/test_i18n.py`` checks
that none is missing or has mismatched placeholders.
"""
from __future__ import annotations

import string

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")


def negotiate(accept_language: str | None) -> str:
    """Pick ``id`` or ``en`` from an ``Accept-Language`` header (RFC 9110
    quality values honoured); anything else falls back to Indonesian."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for part in accept_language.split(","):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower()
        q = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary not in LANGUAGES or q <= 0:
            continue
        # Strictly greater: among equal weights the first listed wins.
        if q > best_q:
            best, best_q = primary, q
    return best


MESSAGES: dict[str, dict[str, str]] = {
    # request shape
    "invalid_json": {
        "id": "Isi permintaan bukan JSON yang sah.",
        "en": "The request body is not valid JSON.",
    },
    "body_not_object": {
        "id": "Isi permintaan harus berupa objek JSON.",
        "en": "The request body must be a JSON object.",
    },
    "missing_field": {
        "id": "Kolom '{field}' wajib diisi.",
        "en": "The field '{field}' is required.",
    },
    "wrong_type": {
        "id": "Kolom '{field}' harus berupa {expected}.",
        "en": "The field '{field}' must be {expected}.",
    },
    "unknown_field": {
        "id": "Kolom '{field}' tidak dikenal.",
        "en": "The field '{field}' is not recognised.",
    },
    "out_of_range": {
        "id": "Kolom '{field}' harus antara {min} dan {max}.",
        "en": "The field '{field}' must be between {min} and {max}.",
    },
    "too_long": {
        "id": "Kolom '{field}' paling banyak {max} karakter.",
        "en": "The field '{field}' may be at most {max} characters long.",
    },
    "invalid_text": {
        "id": "Teks berisi karakter yang tidak sah (surrogate UTF-16 tunggal).",
        "en": "The text contains an invalid character (a lone UTF-16 surrogate).",
    },
    "duplicate_field": {
        "id": "Kolom '{field}' muncul lebih dari sekali.",
        "en": "The field '{field}' appears more than once.",
    },
    "too_deep": {
        "id": "Isi permintaan bersarang terlalu dalam (paling banyak {max} tingkat).",
        "en": "The request body is nested too deeply (at most {max} levels).",
    },
    "too_many": {
        "id": "Kolom '{field}' paling banyak berisi {max} butir.",
        "en": "The field '{field}' may hold at most {max} items.",
    },
    "too_few": {
        "id": "Kolom '{field}' paling sedikit berisi {min} butir.",
        "en": "The field '{field}' must hold at least {min} items.",
    },
    "invalid_value": {
        "id": "Nilai kolom '{field}' tidak sah. Pilihan: {allowed}.",
        "en": "The value of '{field}' is not valid. Allowed: {allowed}.",
    },
    "invalid_pattern": {
        "id": "Format kolom '{field}' tidak sah.",
        "en": "The field '{field}' is not in the expected format.",
    },
    "invalid_header": {
        "id": "Header '{header}' tidak sah (1 sampai {max} karakter ASCII yang terlihat).",
        "en": "The header '{header}' is not valid (1 to {max} visible ASCII characters).",
    },
    "invalid_token": {
        "id": "Token tidak sah atau kedaluwarsa. Silakan masuk kembali.",
        "en": "The token is invalid or expired. Please sign in again.",
    },
    "empty_field": {
        "id": "Kolom '{field}' tidak boleh kosong.",
        "en": "The field '{field}' must not be empty.",
    },
    "invalid_idempotency_key": {
        "id": "Header Idempotency-Key harus 1 sampai 128 karakter yang terlihat.",
        "en": "The Idempotency-Key header must be 1 to 128 visible characters.",
    },
    "idempotency_key_reused": {
        "id": "Idempotency-Key ini sudah dipakai untuk laporan lain dengan isi berbeda.",
        "en": "This Idempotency-Key was already used for a different report.",
    },
    "unsupported_media_type": {
        "id": "Jenis konten permintaan tidak didukung; kirim application/json.",
        "en": "Unsupported request content type; send application/json.",
    },
    # not_found .. payload_too_large: API Gateway's own answers too (gateway
    # responses in infra/stack.py, devstack/gateway.py locally)
    "not_found": {
        "id": "Alamat tidak ditemukan.",
        "en": "Not found.",
    },
    "bad_request": {
        "id": "Permintaan tidak dapat diproses.",
        "en": "The request could not be processed.",
    },
    "throttled": {
        "id": "Terlalu banyak permintaan. Silakan coba lagi sebentar lagi.",
        "en": "Too many requests. Please try again shortly.",
    },
    "payload_too_large": {
        "id": "Isi permintaan terlalu besar.",
        "en": "The request body is too large.",
    },
    "method_not_allowed": {
        "id": "Metode HTTP ini tidak didukung untuk alamat ini.",
        "en": "This HTTP method is not supported on this path.",
    },
    "internal_error": {
        "id": "Terjadi kesalahan di server. Silakan coba lagi.",
        "en": "Something went wrong on the server. Please try again.",
    },
    # regions
    "region_not_found": {
        "id": "Wilayah '{region_id}' tidak ditemukan.",
        "en": "Region '{region_id}' was not found.",
    },
    "unknown_category": {
        "id": "Kategori '{category}' tidak dikenal di wilayah ini.",
        "en": "Category '{category}' is not known in this region.",
    },
    "category_retired": {
        "id": "Kategori '{category}' sudah tidak dipakai lagi.",
        "en": "Category '{category}' is no longer in use.",
    },
    "unknown_kelurahan": {
        "id": "Kode kelurahan/desa '{kelurahan_code}' tidak dikenal di wilayah ini.",
        "en": "Kelurahan/desa code '{kelurahan_code}' is not known in this region.",
    },
    # reports
    "staff_erased_by_admin": {
        "id": "Akun petugas tidak dihapus sendiri: admin daerah menonaktifkannya, agar jejak tindakan tetap tercatat.",
        "en": "Staff accounts are not erased by their holder: the region admin deactivates them, keeping who did what.",
    },
    "staff_not_found": {
        "id": "Akun petugas tidak ditemukan di daerah ini.",
        "en": "No such staff account in this region.",
    },
    "invitation_not_pending": {
        "id": "Akun ini sudah mengganti kata sandi sementaranya; undangan tidak perlu dikirim ulang.",
        "en": "This account has already set its own password; there is no invitation to resend.",
    },
    "staff_inactive": {
        "id": "Akun ini nonaktif; aktifkan kembali sebelum mengirim ulang undangan.",
        "en": "This account is deactivated; reactivate it before resending its invitation.",
    },
    "cannot_deactivate_self": {
        "id": "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        "en": "You cannot deactivate your own account.",
    },
    "invalid_api_key": {
        "id": "Kunci API tidak valid, tidak dikenal atau sudah dicabut.",
        "en": "The API key is invalid, unknown or revoked.",
    },
    "partner_not_found": {
        "id": "Mitra tidak ditemukan di wilayah ini.",
        "en": "No such partner in this region.",
    },
    # the SMS gateway's inbound webhook (services.sms)
    "invalid_signature": {
        "id": "Tanda tangan permintaan tidak ada, tidak sah atau kedaluwarsa (lebih dari 5 menit).",
        "en": "The request's signature is missing, invalid or stale (more than 5 minutes old).",
    },
    "invalid_sms": {
        "id": "SMS tidak lengkap atau tidak sah ({field}): perlu nomor pengirim, teks dan id pesan.",
        "en": "Incomplete or invalid SMS ({field}): it needs a sender number, a text and a message id.",
    },
    "twilio_sms_only": {
        "id": "twilio_auth_token hanya untuk mitra berkanal sms.",
        "en": "twilio_auth_token is only for partners of the sms channel.",
    },
    # the partner intake (services.intake)
    "partner_unknown_category": {
        "id": "Kategori '{category}' tidak dikenal di wilayah ini. Kategori yang berlaku: {allowed}.",
        "en": "Category '{category}' is not known in this region. Valid categories: {allowed}.",
    },
    "partner_unknown_kelurahan": {
        "id": "Kode kelurahan/desa '{kelurahan_code}' tidak dikenal di wilayah ini; daftar kodenya ada di "
              "GET /v1/regions/{region_id}/areas.",
        "en": "Kelurahan/desa code '{kelurahan_code}' is not known in this region; the codes are listed at "
              "GET /v1/regions/{region_id}/areas.",
    },
    "location_required": {
        "id": "Sebutkan lokasi: titik (lat dan lon) atau kode kelurahan/desa (kelurahan_code).",
        "en": "Give a location: a point (lat and lon) or a kelurahan/desa code (kelurahan_code).",
    },
    "tracking_id_reused": {
        "id": "tracking_id ini sudah dipakai untuk laporan lain dengan isi berbeda.",
        "en": "This tracking_id was already used for a different report.",
    },
    "invalid_photo": {
        "id": "photo_base64 bukan base64 yang sah.",
        "en": "photo_base64 is not valid base64.",
    },
    "photo_type_required": {
        "id": "Foto dikirim tanpa jenisnya: sebutkan photo_type (image/jpeg, image/png atau image/webp).",
        "en": "A photo needs its photo_type (image/jpeg, image/png or image/webp).",
    },
    "photo_over_limit": {
        "id": "Foto terlalu besar: paling banyak {max} bita; kirim tautan media_url untuk berkas besar.",
        "en": "The photo is too large: at most {max} bytes; send a media_url link for big files.",
    },
    "invalid_media_url": {
        "id": "media_url harus berupa tautan https.",
        "en": "media_url must be an https link.",
    },
    "too_many_attributes": {
        "id": "Terlalu banyak atribut: paling banyak {max}, kode paling panjang {code_max} dan nilai {value_max} "
              "karakter.",
        "en": "Too many or too long attributes: at most {max}, codes of {code_max} and values of {value_max} "
              "characters.",
    },
    "too_many_requests": {
        "id": "Terlalu banyak permintaan. Coba lagi nanti.",
        "en": "Too many requests. Try again later.",
    },
    "privacy_notice_outdated": {
        "id": "Setujui pemberitahuan privasi versi {version} (GET /v1/privacy-notice) untuk mendaftar.",
        "en": "Accept privacy notice version {version} (GET /v1/privacy-notice) to sign up.",
    },
    "too_many_categories": {
        "id": "Tabel kategori paling banyak {max} kategori, termasuk yang sudah tidak aktif.",
        "en": "The category table holds at most {max} categories, retired ones included.",
    },
    "too_many_disbursements": {
        "id": "Proyek ini sudah mencapai batas {max} pencairan.",
        "en": "This project has reached its limit of {max} disbursements.",
    },
    "photo_not_found": {
        "id": "Foto tidak ditemukan pada laporan ini.",
        "en": "This report has no such photo.",
    },
    "report_not_found": {
        "id": "Laporan '{report_id}' tidak ditemukan.",
        "en": "Report '{report_id}' was not found.",
    },
    "unsupported_photo_type": {
        "id": "Jenis foto '{content_type}' tidak didukung; gunakan image/jpeg, image/png atau image/webp.",
        "en": "Photo type '{content_type}' is not supported; use image/jpeg, image/png or image/webp.",
    },
    "too_many_photos": {
        "id": "Satu laporan paling banyak memuat {max} foto.",
        "en": "A report can hold at most {max} photos.",
    },
    # photo processing outcomes recorded on the report
    "photo_too_large": {
        "id": "Foto ditolak: ukurannya {size} bita, melebihi batas {max} bita.",
        "en": "Photo rejected: it is {size} bytes, over the {max}-byte limit.",
    },
    "photo_not_image": {
        "id": "Foto ditolak: berkas bukan gambar yang dapat dibaca.",
        "en": "Photo rejected: the file is not a readable image.",
    },
    "photo_type_mismatch": {
        "id": "Foto ditolak: berkas berjenis {actual}, bukan {declared} seperti yang dinyatakan.",
        "en": "Photo rejected: the file is {actual}, not {declared} as declared.",
    },
    "photo_too_many_pixels": {
        "id": "Foto ditolak: resolusinya terlalu besar.",
        "en": "Photo rejected: its resolution is too large.",
    },
    # routing notes in history
    "history_received": {
        "id": "Laporan diterima dan menunggu verifikasi.",
        "en": "Report received, waiting for verification.",
    },
    "history_routed": {
        "id": "Diarahkan ke {agency}, {kelurahan}, Kecamatan {kecamatan}.",
        "en": "Routed to {agency_en}, {kelurahan}, {kecamatan} district.",
    },
    "history_out_of_area": {
        "id": "Diarahkan ke {agency}; lokasi berada di luar batas wilayah, perlu diperiksa petugas.",
        "en": "Routed to {agency_en}; the location is outside the region's boundaries and needs checking.",
    },
    # access
    "unauthorized": {
        "id": "Silakan masuk terlebih dahulu: token tidak ada, tidak sah, atau kedaluwarsa.",
        "en": "Please sign in: the token is missing, invalid or expired.",
    },
    "forbidden": {
        "id": "Peran akun Anda tidak diizinkan melakukan ini.",
        "en": "Your account's role is not allowed to do this.",
    },
    "citizens_only": {
        "id": "Hanya akun warga yang dapat membuat laporan.",
        "en": "Only citizen accounts can create reports.",
    },
    "other_region": {
        "id": "Akun Anda terdaftar di wilayah lain.",
        "en": "Your account belongs to another region.",
    },
    "not_your_report": {
        "id": "Laporan ini bukan untuk dinas atau kelurahan Anda.",
        "en": "This report is not for your agency or kelurahan.",
    },
    "not_assignee": {
        "id": "Hanya petugas yang menangani laporan ini yang dapat menyelesaikannya.",
        "en": "Only the officer handling this report can finish it.",
    },
    "not_reporter": {
        "id": "Hanya pelapor yang dapat melakukan ini.",
        "en": "Only the reporter can do this.",
    },
    "no_agency": {
        "id": "Akun Anda belum terhubung ke dinas atau kelurahan.",
        "en": "Your account is not linked to an agency or kelurahan.",
    },
    # workflow
    "illegal_transition": {
        "id": "Laporan berstatus '{current}' tidak dapat diubah menjadi '{target}'. Yang diizinkan: {allowed}.",
        "en": "A report in status '{current}' cannot move to '{target}'. Allowed: {allowed}.",
    },
    "field_not_for_transition": {
        "id": "Kolom '{field}' tidak berlaku untuk perubahan status ini.",
        "en": "The field '{field}' does not apply to this transition.",
    },
    "duplicate_of_invalid": {
        "id": "Laporan asli untuk 'duplicate_of' tidak ditemukan di wilayah ini.",
        "en": "The original report named in 'duplicate_of' was not found in this region.",
    },
    "not_routed_yet": {
        "id": "Laporan belum diarahkan; tentukan 'agency' saat verifikasi.",
        "en": "The report has not been routed yet; give an 'agency' when verifying.",
    },
    "evidence_required": {
        "id": "Unggah minimal satu foto bukti penanganan sebelum menyelesaikan laporan.",
        "en": "Upload at least one evidence photo before closing the report.",
    },
    "evidence_needs_in_process": {
        "id": "Foto bukti hanya dapat diunggah saat laporan sedang diproses.",
        "en": "Evidence photos can only be added while the report is in process.",
    },
    "concurrent_update": {
        "id": "Laporan baru saja diubah orang lain. Muat ulang lalu coba lagi.",
        "en": "Someone else just changed this report. Reload and try again.",
    },
    "not_done": {
        "id": "Penilaian hanya dapat diberikan setelah laporan selesai.",
        "en": "A rating can only be given once the report is done.",
    },
    "already_rated": {
        "id": "Anda sudah memberi penilaian untuk penyelesaian ini.",
        "en": "You have already rated this resolution.",
    },
    "unknown_agency": {
        "id": "Dinas '{agency}' tidak dikenal di wilayah ini.",
        "en": "Agency '{agency}' is not known in this region.",
    },
    "invalid_cursor": {
        "id": "Kursor halaman tidak sah.",
        "en": "The page cursor is not valid.",
    },
    # accounts
    "account_exists": {
        "id": "Akun dengan nomor/e-mail ini sudah ada.",
        "en": "An account with this phone number or e-mail already exists.",
    },
    "invalid_password": {
        "id": "Kata sandi minimal 8 karakter, berisi huruf kecil dan angka.",
        "en": "The password needs at least 8 characters, with lowercase letters and digits.",
    },
    "invalid_code": {
        "id": "Kode verifikasi salah atau kedaluwarsa.",
        "en": "The verification code is wrong or has expired.",
    },
    "invalid_phone": {
        "id": "Nomor telepon harus dalam format +62…",
        "en": "The phone number must be in the +62… format.",
    },
    "invalid_email": {
        "id": "Alamat e-mail tidak sah.",
        "en": "The e-mail address is not valid.",
    },
    # history notes of the workflow
    "history_handed_off": {
        "id": "Dialihkan ke {holder}.",
        "en": "Handed over to {holder_en}.",
    },
    "handoff_not_open": {
        "id": "Hanya laporan yang terverifikasi atau sedang diproses yang dapat dialihkan.",
        "en": "Only a verified or in-process report can be handed over.",
    },
    "history_forwarded": {
        "id": "Diteruskan ke {partner}: bukan wewenang daerah.",
        "en": "Forwarded to {partner}: not the region's authority.",
    },
    "forward_not_open": {
        "id": "Hanya laporan yang menunggu atau terverifikasi yang dapat diteruskan.",
        "en": "Only a waiting or verified report can be forwarded.",
    },
    "unknown_partner": {
        "id": "Mitra {partner_id} tidak dikenal di wilayah ini.",
        "en": "Unknown partner {partner_id} in this region.",
    },
    "partner_revoked": {
        "id": "Kunci mitra ini sudah dicabut.",
        "en": "This partner's key is revoked.",
    },
    "partner_no_webhook": {
        "id": "Mitra ini tidak memiliki alamat webhook untuk menerima laporan.",
        "en": "This partner has no webhook address to receive the report.",
    },
    "handoff_needs_target": {
        "id": "Sebutkan dinas atau kelurahan/desa tujuan pengalihan.",
        "en": "Name the agency or kelurahan/desa that takes the report over.",
    },
    "handoff_same_holder": {
        "id": "Laporan ini sudah ditangani oleh tujuan tersebut.",
        "en": "The report is already with that agency and kelurahan/desa.",
    },
    # the desk sets a report's point (POST /v1/reports/{id}/location)
    "history_located": {
        "id": "Titik lokasi ditetapkan oleh petugas: {kelurahan}, kec. {kecamatan}.",
        "en": "Location point set by staff: {kelurahan}, {kecamatan} district.",
    },
    "location_closed": {
        "id": "Titik lokasi laporan berstatus '{status}' tidak dapat diubah lagi.",
        "en": "The point of a report in status '{status}' can no longer be changed.",
    },
    "location_not_routed": {
        "id": "Laporan belum diarahkan; coba lagi sebentar lagi.",
        "en": "The report has not been routed yet; try again in a moment.",
    },
    "point_outside_region": {
        "id": "Titik berada di luar batas kelurahan/desa wilayah ini.",
        "en": "The point lies outside the region's kelurahan/desa boundaries.",
    },
    "point_in_other_kelurahan": {
        "id": "Titik berada di {kelurahan} (kec. {kecamatan}), bukan di {current}. Alihkan laporan ke desa itu "
              "terlebih dahulu, atau pilih titik di {current}.",
        "en": "The point lies in {kelurahan} ({kecamatan}), not in {current}. Hand the report over to that desa "
              "first, or choose a point in {current}.",
    },
    "history_verified": {
        "id": "Diverifikasi dan diteruskan ke {agency}.",
        "en": "Verified and forwarded to {agency_en}.",
    },
    "history_rejected": {
        "id": "Ditolak: {reason}.",
        "en": "Rejected: {reason_en}.",
    },
    "history_duplicate": {
        "id": "Ditandai sebagai laporan ganda dari #{original}.",
        "en": "Marked as a duplicate of #{original}.",
    },
    "history_taken": {
        "id": "Petugas mulai menangani laporan.",
        "en": "An officer started working on the report.",
    },
    "history_done": {
        "id": "Penanganan selesai.",
        "en": "Work finished.",
    },
    "history_reopened": {
        "id": "Dibuka kembali setelah penilaian pelapor.",
        "en": "Reopened after the reporter's rating.",
    },
    "history_closure_confirmed": {
        "id": "Penyelesaian dikonfirmasi oleh verifikator.",
        "en": "Closure confirmed by the verifier.",
    },
    "history_note": {
        "id": "Catatan petugas.",
        "en": "Staff note.",
    },
    "history_rated": {
        "id": "Pelapor memberi nilai {stars} dari 5.",
        "en": "The reporter rated it {stars} out of 5.",
    },
    "history_rated_low": {
        "id": "Pelapor memberi nilai {stars} dari 5; dikembalikan ke verifikator untuk ditinjau.",
        "en": "The reporter rated it {stars} out of 5; sent back to the verifier for review.",
    },
    "history_overdue": {
        "id": "Melewati batas waktu {stage} ({due}); dieskalasi ke atasan.",
        "en": "Past the {stage_en} deadline ({due}); escalated.",
    },
    "history_emergency_dispatched": {
        "id": "Darurat: langsung diteruskan ke {agency} tanpa menunggu verifikasi.",
        "en": "Emergency: dispatched at once to {agency_en}, without waiting for verification.",
    },
    "emergency_hours_order": {
        "id": "emergency_resolve_hours tidak boleh kurang dari emergency_respond_hours.",
        "en": "emergency_resolve_hours must not be less than emergency_respond_hours.",
    },
    "sla_stage_verify": {"id": "verifikasi", "en": "verification"},
    "sla_stage_respond": {"id": "tanggapan dinas", "en": "agency response"},
    "sla_stage_resolve": {"id": "penyelesaian", "en": "resolution"},
    # regions and the pilot
    "invalid_region_id": {
        "id": "region_id hanya huruf kecil, angka dan tanda minus (2–63 karakter).",
        "en": "region_id takes lowercase letters, digits and hyphens (2–63 characters).",
    },
    "unknown_kemendagri_code": {
        "id": "Kode Kemendagri '{kemendagri_code}' bukan kabupaten/kota yang dikenal (contoh: 35.03).",
        "en": "Kemendagri code '{kemendagri_code}' is not a known regency or city (e.g. 35.03).",
    },
    "region_exists": {
        "id": "Wilayah '{region_id}' sudah ada.",
        "en": "Region '{region_id}' already exists.",
    },
    "boundaries_rejected": {
        "id": "Berkas batas wilayah ditolak seluruhnya: {count} masalah. Batas lama tetap berlaku.",
        "en": "The boundary file was rejected as a whole: {count} problems. The previous boundaries stay in force.",
    },
    "upload_not_found": {
        "id": "Unggahan batas wilayah tidak ditemukan.",
        "en": "Boundary upload not found.",
    },
    "export_not_found": {
        "id": "Ekspor tidak ditemukan.",
        "en": "Export not found.",
    },
    "invalid_range": {
        "id": "Tanggal '{field}' harus sama dengan atau setelah tanggal awal.",
        "en": "The date '{field}' must be on or after the first date.",
    },
    "range_too_long": {
        "id": "Rentang tanggal paling lama {days} hari.",
        "en": "A date range covers at most {days} days.",
    },
    "invalid_category_code": {
        "id": "Kode kategori '{category}' tidak sah atau ganda.",
        "en": "Category code '{category}' is invalid or repeated.",
    },
    "unknown_action": {
        "id": "Tindakan '{action}' tidak dikenal; pilih: {allowed}.",
        "en": "Action '{action}' is not known; use one of: {allowed}.",
    },
    "lifecycle_not_allowed": {
        "id": "Tindakan '{action}' tidak berlaku untuk wilayah berstatus '{status}'.",
        "en": "Action '{action}' does not apply to a region in status '{status}'.",
    },
    "pilot_ended": {
        "id": "Masa uji coba layanan di wilayah ini telah berakhir; laporan baru belum dapat diterima.",
        "en": "This region's pilot has ended; new reports cannot be accepted.",
    },
    "pilot_reminder": {
        "id": "Masa uji coba gratis {name} berakhir dalam {days} hari ({date}).",
        "en": "The free pilot of {name} ends in {days} days ({date}).",
    },
    "invalid_agency_code": {
        "id": "Kode dinas '{agency}' tidak sah atau ganda.",
        "en": "Agency code '{agency}' is invalid or repeated.",
    },
    "agency_in_use": {
        "id": "Dinas {agency} masih dipakai kategori aktif; pensiunkan kategorinya dahulu.",
        "en": "Agency {agency} is still used by active categories; retire those categories first.",
    },
    # public works projects (QlueWork)
    "too_precise": {
        "id": "Kolom '{field}' paling banyak {decimals} angka di belakang koma.",
        "en": "The field '{field}' may have at most {decimals} decimals.",
    },
    "invalid_date": {
        "id": "Kolom '{field}' harus tanggal yang sah berformat YYYY-MM-DD.",
        "en": "The field '{field}' must be a valid date written YYYY-MM-DD.",
    },
    "date_in_future": {
        "id": "Tanggal pada kolom '{field}' belum terjadi.",
        "en": "The date in '{field}' is in the future.",
    },
    "dates_out_of_order": {
        "id": "Urutan tanggal salah: '{second}' tidak boleh sebelum '{first}'.",
        "en": "Dates out of order: '{second}' may not be before '{first}'.",
    },
    "invalid_npwp": {
        "id": "NPWP harus 15 angka (01.234.567.8-901.000) atau 16 angka.",
        "en": "The NPWP tax id must be 15 digits (01.234.567.8-901.000) or 16 digits.",
    },
    "invalid_geojson": {
        "id": "Kolom '{field}' bukan geometri GeoJSON yang sah: {problem}.",
        "en": "The field '{field}' is not a valid GeoJSON geometry: {problem}.",
    },
    "project_not_found": {
        "id": "Proyek '{project_id}' tidak ditemukan.",
        "en": "Project '{project_id}' was not found.",
    },
    "not_project_contractor": {
        "id": "Hanya kontraktor pemenang proyek ini yang dapat melaporkan progresnya.",
        "en": "Only the contractor that won this project can report its progress.",
    },
    "not_project_agency": {
        "id": "Proyek hanya dapat didaftarkan atau diubah oleh admin wilayah atau staf dinas pemiliknya.",
        "en": "A project can be registered or changed only by the region admin or staff of its own agency.",
    },
    "progress_decrease": {
        "id": "Progres fisik tidak boleh turun ({current}% menjadi {percent}%) kecuali koreksi admin dengan alasan.",
        "en": "Physical progress cannot go down ({current}% to {percent}%) except by an admin correction with a reason.",
    },
    "correction_admin_only": {
        "id": "Koreksi progres hanya dapat dilakukan admin wilayah.",
        "en": "Only the region admin can correct progress.",
    },
    "progress_needs_photo": {
        "id": "Laporan progres wajib menyertakan sedikitnya satu foto (photo_ids).",
        "en": "A progress report needs at least one photo (photo_ids).",
    },
    "invalid_photo_ids": {
        "id": "Daftar photo_ids berisi foto ganda atau lebih dari 10 foto.",
        "en": "photo_ids repeats a photo or lists more than 10.",
    },
    "photo_not_ready": {
        "id": "Foto {photo_id} belum selesai diproses, ditolak, atau sudah dipakai laporan lain; coba lagi sebentar.",
        "en": "Photo {photo_id} is not processed yet, was refused, or is used by another report; retry shortly.",
    },
    "over_contract_value": {
        "id": "Pencairan Rp{amount} melebihi sisa nilai kontrak Rp{remaining}.",
        "en": "A disbursement of Rp{amount} exceeds the remaining contract value of Rp{remaining}.",
    },
    "duplicate_reference": {
        "id": "Pencairan dengan referensi '{reference}' sudah tercatat.",
        "en": "A disbursement with reference '{reference}' is already recorded.",
    },
    "project_busy": {
        "id": "Proyek sedang diubah oleh orang lain; coba lagi.",
        "en": "The project is being changed by someone else; try again.",
    },
    "unsupported_document_type": {
        "id": "Dokumen harus berupa PDF (application/pdf).",
        "en": "Documents must be PDF (application/pdf).",
    },
    "too_many_uploads": {
        "id": "Batas unggahan proyek ini ({max}) sudah tercapai.",
        "en": "This project's upload limit ({max}) has been reached.",
    },
    "document_not_pdf": {
        "id": "Berkas bukan PDF.",
        "en": "The file is not a PDF.",
    },
    "document_too_large": {
        "id": "Berkas {size} byte melebihi batas {max} byte.",
        "en": "The file's {size} bytes exceed the {max}-byte limit.",
    },
    "contractor_account_exists": {
        "id": "Kontraktor dengan NPWP {npwp} sudah punya akun di wilayah ini (satu akun per kontraktor).",
        "en": "The contractor with NPWP {npwp} already has an account in this region (one per contractor).",
    },
    "invalid_ocid_prefix": {
        "id": "Prefiks OCDS harus berbentuk ocds-xxxxxx (6 huruf kecil/angka), sesuai pendaftaran di Open Contracting Partnership.",
        "en": "The OCDS prefix must look like ocds-xxxxxx (6 lowercase letters/digits), as registered with the Open Contracting Partnership.",
    },
    "file_not_found": {
        "id": "Berkas '{file_id}' tidak ditemukan pada proyek ini.",
        "en": "File '{file_id}' was not found on this project.",
    },
    "project_not_in_region": {
        "id": "Proyek {project_id} bukan proyek wilayah ini.",
        "en": "Project {project_id} is not a project of this region.",
    },
    # red flags, each with the rule it applies
    "flag_money_ahead_of_work": {
        "id": "Uang mendahului pekerjaan: keuangan {financial}% melampaui fisik {physical}% lebih dari {margin} poin.",
        "en": "Money ahead of work: financial {financial}% exceeds physical {physical}% by more than {margin} points.",
    },
    "flag_behind_schedule": {
        "id": "Terlambat: waktu berjalan {time_elapsed}% melampaui progres fisik {physical}% lebih dari {margin} poin.",
        "en": "Behind schedule: time elapsed {time_elapsed}% exceeds physical progress {physical}% by more than {margin} points.",
    },
    "flag_no_recent_progress": {
        "id": "Tidak ada laporan progres selama {days} hari (batas {limit} hari) pada proyek yang berjalan.",
        "en": "No progress report for {days} days (limit {limit} days) on an active project.",
    },
    "flag_open_citizen_audits": {
        "id": "{count} laporan warga (audit) atas proyek ini masih terbuka.",
        "en": "{count} citizen audit reports on this project are still open.",
    },
    "reopen_limit": {
        "id": "Laporan ini sudah dibuka kembali {limit} kali; tidak dapat dibuka kembali lagi.",
        "en": "This report has already been reopened {limit} times; it cannot be reopened again.",
    },
    # a category's questions (domain.questions) and Open311 GeoReport v2 (services.open311)
    "too_many_questions": {
        "id": "Kategori '{category}' paling banyak punya {max} pertanyaan.",
        "en": "Category '{category}' may have at most {max} questions.",
    },
    "too_many_questions_in_region": {
        "id": "Wilayah ini paling banyak punya {max} pertanyaan dan {choices} pilihan jawaban di semua kategori.",
        "en": "A region may have at most {max} questions and {choices} listed answers across its categories.",
    },
    "invalid_question": {
        "id": "Pertanyaan '{question}' kategori '{category}' tidak sah: kodenya berulang, atau pilihan jawaban "
              "hanya untuk singlevaluelist/multivaluelist (dan wajib di sana, tanpa kunci berulang).",
        "en": "Question '{question}' of category '{category}' is invalid: a repeated code, or listed values "
              "outside singlevaluelist/multivaluelist (required there, with no repeated key).",
    },
    "attribute_required": {
        "id": "Atribut '{attribute}' wajib diisi untuk layanan ini.",
        "en": "The attribute '{attribute}' is required for this service.",
    },
    "invalid_attribute": {
        "id": "Nilai atribut '{attribute}' tidak sah (lihat definisi layanan).",
        "en": "The value of attribute '{attribute}' is not valid (see the service definition).",
    },
    "open311_jurisdiction_required": {
        "id": "jurisdiction_id wajib diisi: id wilayah (mis. trenggalek).",
        "en": "jurisdiction_id is required: the region's id (e.g. trenggalek).",
    },
    "open311_unknown_format": {
        "id": "Format tidak dikenal: akhiri alamat dengan .xml atau .json.",
        "en": "Unknown format: end the path with .xml or .json.",
    },
    "open311_service_not_found": {
        "id": "Layanan '{service_code}' tidak dikenal di wilayah ini.",
        "en": "Service '{service_code}' is not known in this region.",
    },
    "open311_request_not_found": {
        "id": "Permintaan layanan tidak ditemukan.",
        "en": "Service request not found.",
    },
    "open311_invalid_date": {
        "id": "{field} harus berupa tanggal-waktu W3C (mis. 2026-01-01T00:00:00+07:00).",
        "en": "{field} must be a W3C date-time (e.g. 2026-01-01T00:00:00+07:00).",
    },
    "open311_range_too_long": {
        "id": "Rentang start_date sampai end_date paling lama {days} hari dan start_date tidak setelah end_date.",
        "en": "start_date to end_date may span at most {days} days, and start_date may not follow end_date.",
    },
    "open311_invalid_status": {
        "id": "status harus open, closed, atau keduanya dipisah koma.",
        "en": "status must be open, closed, or both separated by a comma.",
    },
    "open311_too_many_ids": {
        "id": "Paling banyak {max} service_request_id sekaligus.",
        "en": "At most {max} service_request_id values at once.",
    },
    "open311_media_too_large": {
        "id": "Berkas media terlalu besar: paling banyak {max_mb} MB; kirim tautan media_url untuk berkas besar.",
        "en": "The media file is too large: at most {max_mb} MB; send a media_url link for big files.",
    },
    "open311_location_required": {
        "id": "Sebutkan lokasi: lat dan long, atau address_string, atau address_id (kode kelurahan/desa).",
        "en": "Give a location: lat and long, or address_string, or address_id (a kelurahan/desa code).",
    },
    "open311_invalid_form": {
        "id": "Isi permintaan harus application/x-www-form-urlencoded atau multipart/form-data dalam UTF-8.",
        "en": "The request body must be application/x-www-form-urlencoded or multipart/form-data in UTF-8.",
    },
}


def message(code: str, language: str, **params: object) -> str:
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    if language == "id":  # Indonesian writes a decimal comma: 50,5%
        params = {name: _decimal_comma(value) for name, value in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def _decimal_comma(value: object) -> object:
    return repr(value).replace(".", ",") if isinstance(value, float) else value


def both(code: str, **params: object) -> dict[str, str]:
    """The message in every language, for text stored with a record."""
    return {language: message(code, language, **params) for language in LANGUAGES}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
