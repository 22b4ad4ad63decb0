"""Fill jamsos/locale/id/LC_MESSAGES/django.po from the table below, then compile.

Run after ``jamsos makemessages -l id --no-wrap --no-location`` when strings change:
    python scripts/fill_id_translations.py && (cd jamsos && jamsos compilemessages)
The table is the reviewed Bahasa Indonesia wording; a msgid missing here is reported.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "jamsos/locale/id/LC_MESSAGES/django.po"

ID = {
    "Participant": "Peserta",
    "Sponsor": "Sponsor",
    "Employer administrator": "Admin pemberi kerja",
    "Contractor": "Kontraktor",
    "Branch officer": "Petugas kantor cabang",
    "Claims officer": "Petugas klaim",
    "Regional head": "Kepala kantor wilayah",
    "Auditor": "Auditor",
    "System administrator": "Administrator sistem",
    "role": "peran",
    "branch office": "kantor cabang",
    "regional office": "kantor wilayah",
    "user": "pengguna",
    "users": "pengguna",
    "First characters of the token, to tell tokens apart.": "Karakter awal token, untuk membedakan token.",
    "label": "label",
    "created at": "dibuat pada",
    "revoked at": "dicabut pada",
    "API token": "token API",
    "API tokens": "token API",
    "Only a system administrator may manage users.": "Hanya administrator sistem yang boleh mengelola pengguna.",
    "Unknown role %(role)s; use one of: %(allowed)s.": "Peran %(role)s tidak dikenal; gunakan salah satu dari: %(allowed)s.",
    "A username is required.": "Nama pengguna wajib diisi.",
    "A branch officer must be bound to a branch office.": "Petugas kantor cabang harus terikat pada satu kantor cabang.",
    "Only a branch officer is bound to a branch office.": "Hanya petugas kantor cabang yang terikat pada kantor cabang.",
    "A regional head must be bound to a regional office.": "Kepala kantor wilayah harus terikat pada satu kantor wilayah.",
    "Only a regional head is bound to a regional office.": "Hanya kepala kantor wilayah yang terikat pada kantor wilayah.",
    "An employer administrator must be bound to at least one employer (NPP).": "Admin pemberi kerja harus terikat pada sedikitnya satu pemberi kerja (NPP).",
    "Only an employer administrator is bound to employers.": "Hanya admin pemberi kerja yang terikat pada pemberi kerja.",
    "No branch office with code %(branch_office_code)s.": "Tidak ada kantor cabang dengan kode %(branch_office_code)s.",
    "No regional office with code %(regional_office_code)s.": "Tidak ada kantor wilayah dengan kode %(regional_office_code)s.",
    "No employer with NPP %(npps)s.": "Tidak ada pemberi kerja dengan NPP %(npps)s.",
    "The username %(username)s is taken.": "Nama pengguna %(username)s sudah dipakai.",
    "Wrong username or password.": "Nama pengguna atau kata sandi salah.",
    "No such token.": "Token tidak ditemukan.",
    "No user %(username)s.": "Tidak ada pengguna %(username)s.",
    "Bahasa Indonesia": "Bahasa Indonesia",
    "English": "English",
    "occurred at": "terjadi pada",
    "actor": "pelaku",
    "Empty for the system itself (batch jobs, data loads).": "Kosong untuk sistem sendiri (proses massal, muat data).",
    "actor username": "nama pengguna pelaku",
    "actor role": "peran pelaku",
    "action": "tindakan",
    "object type": "jenis objek",
    "object id": "id objek",
    "before": "sebelum",
    "after": "sesudah",
    "reason": "alasan",
    "audit event": "peristiwa audit",
    "audit events": "peristiwa audit",
    "Only auditors and system administrators may read the audit trail.": "Hanya auditor dan administrator sistem yang boleh membaca jejak audit.",
    "No such employer.": "Pemberi kerja tidak ditemukan.",
    "Only a branch officer of the employer's branch may verify it.": "Hanya petugas kantor cabang pemberi kerja ini yang boleh memverifikasinya.",
    "WIB (UTC+7)": "WIB (UTC+7)",
    "WITA (UTC+8)": "WITA (UTC+8)",
    "WIT (UTC+9)": "WIT (UTC+9)",
    "code": "kode",
    "name": "nama",
    "city": "kota",
    "time zone": "zona waktu",
    "regional offices": "kantor wilayah",
    "branch offices": "kantor cabang",
    "Awaiting verification": "Menunggu verifikasi",
    "Active": "Aktif",
    "Inactive": "Nonaktif",
    "Closed": "Tutup",
    "NPP": "NPP",
    "legal name": "nama badan hukum",
    "status": "status",
    "status reason": "alasan status",
    "registered at": "terdaftar pada",
    "verified at": "diverifikasi pada",
    "employer": "pemberi kerja",
    "employers": "pemberi kerja",
    "Your role may not register employers.": "Peran Anda tidak boleh mendaftarkan pemberi kerja.",
    "The legal name is required.": "Nama badan hukum wajib diisi.",
    "Could not allocate an NPP; try again.": "NPP tidak dapat diberikan; coba lagi.",
    "The employer is %(status)s, not awaiting verification.": "Status pemberi kerja %(status)s, tidak sedang menunggu verifikasi.",
    "Not allowed": "Tidak diizinkan",
    "You may not do this.": "Anda tidak boleh melakukan ini.",
    "Not found": "Tidak ditemukan",
    "This page does not exist, or you may not see it.": "Halaman ini tidak ada, atau Anda tidak boleh melihatnya.",
    "Back to the home page": "Kembali ke beranda",
    "Audit trail": "Jejak audit",
    "Filter": "Saring",
    "Audit events, newest first": "Peristiwa audit, terbaru lebih dulu",
    "When": "Waktu",
    "Who": "Pelaku",
    "Action": "Tindakan",
    "Object": "Objek",
    "Change": "Perubahan",
    "Reason": "Alasan",
    "No audit event matches these filters.": "Tidak ada peristiwa audit yang cocok dengan saringan ini.",
    "Skip to content": "Langsung ke isi",
    "Main": "Utama",
    "Log out": "Keluar",
    "Log in": "Masuk",
    "Language": "Bahasa",
    "Switch language": "Ganti bahasa",
    "Employment social security administration": "Administrasi jaminan sosial ketenagakerjaan",
    "Employers": "Pemberi kerja",
    "Status": "Status",
    "Branch office": "Kantor cabang",
    "Regional office": "Kantor wilayah",
    "Registered at": "Terdaftar pada",
    "Verified at": "Diverifikasi pada",
    "Note (optional)": "Catatan (opsional)",
    "Verify registration": "Verifikasi pendaftaran",
    "Name or NPP": "Nama atau NPP",
    "Search": "Cari",
    "Employers you may see": "Pemberi kerja yang boleh Anda lihat",
    "Legal name": "Nama badan hukum",
    "No employer matches your search.": "Tidak ada pemberi kerja yang cocok dengan pencarian Anda.",
    "There are no employers for you to see yet.": "Belum ada pemberi kerja yang dapat Anda lihat.",
    "Home": "Beranda",
    "Employment social security, in one place": "Jaminan sosial ketenagakerjaan, dalam satu tempat",
    "Welcome, %(name)s.": "Selamat datang, %(name)s.",
    "Branch office %(office)s; times are shown in %(tz)s.": "Kantor cabang %(office)s; waktu ditampilkan dalam %(tz)s.",
    "Regional office %(office)s; times are shown in %(tz)s.": "Kantor wilayah %(office)s; waktu ditampilkan dalam %(tz)s.",
    "Coming soon.": "Segera hadir.",
    "Jamsos keeps who is covered, who pays what, what has been paid and which benefits are owed — for wage earners, informal workers, construction projects and migrant workers.": "Jamsos mencatat siapa yang terlindungi, siapa membayar berapa, apa yang sudah dibayar, dan manfaat apa yang menjadi hak — bagi penerima upah, pekerja bukan penerima upah, proyek jasa konstruksi, dan pekerja migran.",
    "Workers and members": "Pekerja dan peserta",
    "See your card, your JHT balance and when your cover ends.": "Lihat kartu Anda, saldo JHT, dan kapan perlindungan Anda berakhir.",
    "Employers and contractors": "Pemberi kerja dan kontraktor",
    "Register your company, enrol workers and pay the monthly bill.": "Daftarkan perusahaan, daftarkan pekerja, dan bayar tagihan bulanan.",
    "Agency officers": "Petugas BPJS",
    "Verify registrations and claims, follow up arrears, see coverage.": "Verifikasi pendaftaran dan klaim, tindak lanjuti tunggakan, lihat cakupan kepesertaan.",
    "Username": "Nama pengguna",
    "Password": "Kata sandi",
    "Pages": "Halaman",
    "Previous": "Sebelumnya",
    "Page %(n)s of %(total)s": "Halaman %(n)s dari %(total)s",
    "Next": "Berikutnya",
    "Your membership": "Kepesertaan Anda",
    "Your card, JHT balance and cover end date will appear here.": "Kartu, saldo JHT, dan tanggal akhir perlindungan Anda akan tampil di sini.",
    "Workers you sponsor": "Pekerja yang Anda sertakan",
    "Register and pay for the workers around you (Sertakan).": "Daftarkan dan bayarkan iuran pekerja di sekitar Anda (Sertakan).",
    "Your companies": "Perusahaan Anda",
    "See your registered companies and their status.": "Lihat perusahaan Anda yang terdaftar dan statusnya.",
    "Construction projects": "Proyek jasa konstruksi",
    "Register projects and pay the project contribution.": "Daftarkan proyek dan bayar iuran proyek.",
    "Employers of your branch": "Pemberi kerja cabang Anda",
    "Verify registrations and follow up arrears.": "Verifikasi pendaftaran dan tindak lanjuti tunggakan.",
    "Look up employers when checking a claim.": "Cari pemberi kerja saat memeriksa klaim.",
    "Employers of your region": "Pemberi kerja wilayah Anda",
    "Coverage of your region's branches.": "Cakupan kepesertaan kantor cabang di wilayah Anda.",
    "Every change with who, when and why. Read only.": "Setiap perubahan: siapa, kapan, dan mengapa. Hanya baca.",
    "All registered employers.": "Semua pemberi kerja terdaftar.",
    "Every change with who, when and why.": "Setiap perubahan: siapa, kapan, dan mengapa.",
    "The employer is verified and now active.": "Pemberi kerja telah diverifikasi dan kini aktif.",
    "User": "Pengguna",
    "Object type": "Jenis objek",
    "Object id": "Id objek",
    "From": "Dari",
    "Until": "Sampai",
    "The end date must not be before the start date.": "Tanggal akhir tidak boleh sebelum tanggal awal.",
}

ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr ".*"$', re.M)


def main() -> int:
    text = PO.read_text()
    missing = []

    def fill(m: re.Match[str]) -> str:
        msgid = m.group(1).replace('\\"', '"')
        if msgid == "":
            return m.group(0)
        if msgid not in ID:
            missing.append(msgid)
            return m.group(0)
        value = ID[msgid].replace('"', '\\"')
        return f'msgid "{m.group(1)}"\nmsgstr "{value}"'

    text = ENTRY.sub(fill, text)
    text = text.replace("#, fuzzy\n", "")
    text = re.sub(r'"Plural-Forms: .*\\n"', '"Plural-Forms: nplurals=1; plural=0;\\\\n"', text)
    text = text.replace('"Content-Type: text/plain; charset=CHARSET\\n"',
                        '"Content-Type: text/plain; charset=UTF-8\\n"')
    PO.write_text(text)
    for msgid in missing:
        print(f"no translation for: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
