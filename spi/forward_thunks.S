/* SPDX-License-Identifier: MIT */
/* Jump thunks for the functions the front end forwards to the system
 * ws2_32 (see forward_list.h). A thunk jumps through a slot that starts out
 * pointing at its resolver; the first call looks the real function up by
 * name and patches the slot, so later calls cost one indirect jump and the
 * arguments, whatever their types, are passed on untouched. When the
 * function cannot be found, the call returns 0 with the last error set by
 * forward_resolve (spi/forward.c). */

#if defined(__x86_64__)

#define FORWARD(name, argbytes)                                         \
    .text;                                                              \
    .globl fwd_##name;                                                  \
fwd_##name:                                                             \
    jmp *slot_##name(%rip);                                             \
resolve_##name:                                                         \
    push %rcx; push %rdx; push %r8; push %r9;                           \
    sub $40, %rsp;                                                      \
    lea str_##name(%rip), %rcx;                                         \
    lea slot_##name(%rip), %rdx;                                        \
    call forward_resolve;                                               \
    add $40, %rsp;                                                      \
    pop %r9; pop %r8; pop %rdx; pop %rcx;                               \
    test %rax, %rax;                                                    \
    jz 1f;                                                              \
    jmp *%rax;                                                          \
1:  ret;                                                                \
    .data;                                                              \
    .balign 8;                                                          \
slot_##name: .quad resolve_##name;                                      \
str_##name: .asciz #name;

#elif defined(__i386__)

#define FORWARD(name, argbytes)                                         \
    .text;                                                              \
    .globl _fwd_##name;                                                 \
_fwd_##name:                                                            \
    jmp *slot_##name;                                                   \
resolve_##name:                                                         \
    push $slot_##name;                                                  \
    push $str_##name;                                                   \
    call _forward_resolve;                                              \
    add $8, %esp;                                                       \
    test %eax, %eax;                                                    \
    jz 1f;                                                              \
    jmp *%eax;                                                          \
1:  ret $argbytes;                                                      \
    .data;                                                              \
    .balign 4;                                                          \
slot_##name: .long resolve_##name;                                      \
str_##name: .asciz #name;

#else
#error "unsupported architecture"
#endif

#include "forward_list.h"
