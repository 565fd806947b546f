"""The privacy notice a citizen consents to when signing up (UU PDP
27/2022).  Versioned: a sign-up names the version it was shown, and a
change of the text is a new version."""
from __future__ import annotations

VERSION = "2026-11"

TEXT = {
    "id": (
        "Pemberitahuan privasi Aduan (versi 2026-11). "
        "Yang kami simpan: laporan Anda (kategori, uraian, lokasi, foto, riwayat penanganan, penilaian) dan akun "
        "Anda (nama, nomor telepon dan/atau e-mail, wilayah). "
        "Yang terlihat publik: laporan yang sudah diverifikasi beserta fotonya, tanpa identitas pelapor; petugas "
        "verifikasi dapat menyembunyikan foto yang memperlihatkan wajah, anak-anak atau pelat nomor. "
        "Yang dilihat petugas: laporan di wilayahnya, tanpa nama atau kontak Anda; laporan anonim tetap anonim bagi "
        "petugas. Nomor telepon Anda yang terverifikasi hanya dipakai untuk SMS status laporan. "
        "Hak Anda: mengambil seluruh data Anda (GET /v1/me/data) dan menghapus akun Anda (DELETE /v1/me); laporan "
        "tetap ada tanpa identitas Anda karena menyangkut masalah publik. Permintaan dicatat tanpa identitas Anda. "
        "Cadangan data: salinan cadangan basis data hingga 35 hari dan versi lama berkas foto hingga 30 hari."
    ),
    "en": (
        "Aduan privacy notice (version 2026-11). "
        "What we keep: your reports (category, description, location, photos, handling history, ratings) and your "
        "account (name, phone number and/or e-mail, region). "
        "What is public: verified reports and their photos, without who reported them; verifiers can hide photos "
        "that show faces, children or number plates. "
        "What staff see: the reports of their region, without your name or contact; anonymous reports stay "
        "anonymous to staff too. Your verified phone number is used only for status SMS about your reports. "
        "Your rights: take all your data (GET /v1/me/data) and erase your account (DELETE /v1/me); your reports "
        "stay, without your identity, because they describe public problems. Requests are recorded without your "
        "identity. Backups: database backups for up to 35 days and old versions of photo files for up to 30 days."
    ),
}
