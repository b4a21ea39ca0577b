/* SPDX-License-Identifier: MIT */
/* Provider DLLs checked as data (pe.h). */
#include "pe.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DLL_BYTES (64u << 20)

struct image {
    const BYTE *data;
    DWORD size;
    const IMAGE_SECTION_HEADER *sections;
    WORD nsections;
};

/* `size` bytes at file offset `offset`, or NULL when they are not all there. */
static const void *at(const struct image *im, DWORD offset, DWORD size)
{
    return offset <= im->size && size <= im->size - offset ? im->data + offset : NULL;
}

/* The file offset of `rva`, through the section that holds it; 0 if none. */
static DWORD file_offset(const struct image *im, DWORD rva)
{
    WORD i;

    for (i = 0; i < im->nsections; i++) {
        const IMAGE_SECTION_HEADER *s = &im->sections[i];
        DWORD span = s->Misc.VirtualSize > s->SizeOfRawData ? s->Misc.VirtualSize
                                                            : s->SizeOfRawData;

        if (rva >= s->VirtualAddress && rva - s->VirtualAddress < span &&
            rva - s->VirtualAddress < s->SizeOfRawData)
            return s->PointerToRawData + (rva - s->VirtualAddress);
    }
    return 0;
}

/* The export directory, or NULL when it is missing or not all there. */
static const IMAGE_EXPORT_DIRECTORY *export_directory(const struct image *im,
                                                      const IMAGE_DATA_DIRECTORY *dir)
{
    DWORD offset;

    if (!dir || !dir->VirtualAddress || !(offset = file_offset(im, dir->VirtualAddress)))
        return NULL;
    return at(im, offset, sizeof(IMAGE_EXPORT_DIRECTORY));
}

/* TRUE when the string at `rva` is `text` (NUL included), up to case. */
static BOOL string_is(const struct image *im, DWORD rva, const char *text)
{
    DWORD offset = file_offset(im, rva);
    const char *found = offset ? at(im, offset, (DWORD)strlen(text) + 1) : NULL;

    return found && !_strnicmp(found, text, strlen(text) + 1);
}

static BOOL exports_wspstartup(const struct image *im, const IMAGE_EXPORT_DIRECTORY *exports)
{
    const DWORD *names;
    DWORD i, offset;

    if (!exports->AddressOfNames || !(offset = file_offset(im, exports->AddressOfNames)) ||
        !(names = at(im, offset, exports->NumberOfNames * sizeof(DWORD))))
        return FALSE;
    for (i = 0; i < exports->NumberOfNames; i++)
        if (string_is(im, names[i], "WSPStartup"))
            return TRUE;
    return FALSE;
}

static const char *check_image(struct image *im, WORD machine, const char *module)
{
    const IMAGE_DOS_HEADER *dos = at(im, 0, sizeof(*dos));
    const IMAGE_NT_HEADERS32 *nt;
    const IMAGE_DATA_DIRECTORY *dir;
    const IMAGE_EXPORT_DIRECTORY *exports;
    DWORD optional;

    if (!dos || dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew < 0 ||
        !(nt = at(im, (DWORD)dos->e_lfanew, sizeof(*nt))) || nt->Signature != IMAGE_NT_SIGNATURE)
        return "is not a Windows executable file";
    if (!(nt->FileHeader.Characteristics & IMAGE_FILE_DLL))
        return "is not a DLL";
    if (nt->FileHeader.Machine != machine)
        return machine == IMAGE_FILE_MACHINE_I386 ? "is not a 32-bit (x86) DLL"
                                                  : "is not a DLL for this machine (x64)";
    optional = (DWORD)dos->e_lfanew + FIELD_OFFSET(IMAGE_NT_HEADERS32, OptionalHeader);
    im->nsections = nt->FileHeader.NumberOfSections;
    im->sections = at(im, optional + nt->FileHeader.SizeOfOptionalHeader,
                      im->nsections * sizeof(IMAGE_SECTION_HEADER));
    if (!im->sections)
        return "is a damaged DLL";
    if (nt->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
        const IMAGE_OPTIONAL_HEADER64 *o64 = at(im, optional, sizeof(*o64));
        dir = o64 && o64->NumberOfRvaAndSizes > IMAGE_DIRECTORY_ENTRY_EXPORT
                  ? &o64->DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT] : NULL;
    } else {
        dir = nt->OptionalHeader.NumberOfRvaAndSizes > IMAGE_DIRECTORY_ENTRY_EXPORT
                  ? &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT] : NULL;
    }
    exports = export_directory(im, dir);
    if (!exports || !exports_wspstartup(im, exports))
        return "does not export WSPStartup, so is not a Winsock provider";
    /* The name a DLL's export table gives itself is set when it is linked
     * (LIBRARY in its .def), and a copy renamed on disk keeps it. */
    if (module && !string_is(im, exports->Name, module))
        return "is a Winsock provider, but not lspkit's (its export table names another DLL)";
    return NULL;
}

const char *pe_provider_problem(const WCHAR *path, WORD machine, const char *module)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    struct image im = { 0 };
    LARGE_INTEGER size;
    const char *problem;
    BYTE *data = NULL;
    DWORD got = 0;

    if (file == INVALID_HANDLE_VALUE)
        return "cannot be opened";
    if (!GetFileSizeEx(file, &size) || size.QuadPart > MAX_DLL_BYTES ||
        !(data = malloc(size.QuadPart ? (size_t)size.QuadPart : 1)) ||
        !ReadFile(file, data, (DWORD)size.QuadPart, &got, NULL) || got != size.QuadPart)
        problem = "cannot be read whole (or is over 64 MiB)";
    else {
        im.data = data;
        im.size = got;
        problem = check_image(&im, machine, module);
    }
    free(data);
    CloseHandle(file);
    return problem;
}
