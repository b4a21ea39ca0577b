/* SPDX-License-Identifier: MIT */
/* Provider and filter DLLs checked as data (pe.h). */
#include "pe.h"

#include <lspkit/filter.h>

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

/* The string of `len` characters at `rva`, with its NUL, or NULL when the
 * file does not hold that many bytes there. */
static const char *string_at(const struct image *im, DWORD rva, size_t len)
{
    DWORD offset = file_offset(im, rva);

    return offset ? at(im, offset, (DWORD)len + 1) : NULL;
}

/* Whether the export table names a function `name`: to the letter, as
 * GetProcAddress finds it. */
static BOOL exports_function(const struct image *im, const IMAGE_EXPORT_DIRECTORY *exports,
                             const char *name)
{
    size_t len = strlen(name);
    const DWORD *names;
    const char *found;
    DWORD i, offset;

    if (!exports->AddressOfNames || !(offset = file_offset(im, exports->AddressOfNames)) ||
        !(names = at(im, offset, exports->NumberOfNames * sizeof(DWORD))))
        return FALSE;
    for (i = 0; i < exports->NumberOfNames; i++)
        if ((found = string_at(im, names[i], len)) && !memcmp(found, name, len + 1))
            return TRUE;
    return FALSE;
}

/* The module name the export table gives itself is `module`, up to case
 * (file names are). */
static BOOL names_itself(const struct image *im, const IMAGE_EXPORT_DIRECTORY *exports,
                         const char *module)
{
    const char *found = string_at(im, exports->Name, strlen(module));

    return found && !_strnicmp(found, module, strlen(module) + 1);
}

/* NULL when `im` is a DLL for `machine`, with its export table (NULL when
 * it has none) in `*exports`; else why not. */
static const char *check_dll(struct image *im, WORD machine,
                             const IMAGE_EXPORT_DIRECTORY **exports)
{
    const IMAGE_DOS_HEADER *dos = at(im, 0, sizeof(*dos));
    const IMAGE_NT_HEADERS32 *nt;
    const IMAGE_DATA_DIRECTORY *dir;
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
    *exports = export_directory(im, dir);
    return NULL;
}

static const char *check_provider(struct image *im, WORD machine, const char *module)
{
    const IMAGE_EXPORT_DIRECTORY *exports;
    const char *problem = check_dll(im, machine, &exports);

    if (problem)
        return problem;
    if (!exports || !exports_function(im, exports, "WSPStartup"))
        return "does not export WSPStartup, so is not a Winsock provider";
    /* The name a DLL's export table gives itself is set when it is linked
     * (LIBRARY in its .def), and a copy renamed on disk keeps it. */
    if (module && !names_itself(im, exports, module))
        return "is a Winsock provider, but not lspkit's (its export table names another DLL)";
    return NULL;
}

static const char *check_filter(struct image *im, WORD machine)
{
    const IMAGE_EXPORT_DIRECTORY *exports;
    const char *problem = check_dll(im, machine, &exports);

    if (problem)
        return problem;
    if (!exports || !exports_function(im, exports, LSPKIT_FILTER_OPEN))
        return "does not export " LSPKIT_FILTER_OPEN ", so is not an lspkit filter";
    return NULL;
}

/* Reads `path` whole into `im` (the caller frees im->data); NULL when
 * read, else why not. */
static const char *read_image(const WCHAR *path, struct image *im)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    const char *problem = NULL;
    BYTE *data = NULL;
    DWORD got = 0;

    if (file == INVALID_HANDLE_VALUE)
        return "cannot be opened";
    if (!GetFileSizeEx(file, &size) || size.QuadPart > MAX_DLL_BYTES ||
        !(data = malloc(size.QuadPart ? (size_t)size.QuadPart : 1)) ||
        !ReadFile(file, data, (DWORD)size.QuadPart, &got, NULL) || got != size.QuadPart) {
        problem = "cannot be read whole (or is over 64 MiB)";
        free(data);
        data = NULL;
    }
    CloseHandle(file);
    im->data = data;
    im->size = got;
    return problem;
}

const char *pe_provider_problem(const WCHAR *path, WORD machine, const char *module)
{
    struct image im = { 0 };
    const char *problem = read_image(path, &im);

    if (!problem)
        problem = check_provider(&im, machine, module);
    free((void *)im.data);
    return problem;
}

const char *pe_filter_problem(const WCHAR *path, WORD machine)
{
    struct image im = { 0 };
    const char *problem = read_image(path, &im);

    if (!problem)
        problem = check_filter(&im, machine);
    free((void *)im.data);
    return problem;
}
