/*
 * qsort.c: sorting and binary search.
 *
 * qsort is a quicksort: the median of the first, middle and last elements
 * is the pivot; a three-way partition gathers the keys equal to it; small
 * ranges are finished by insertion sort; the smaller
 * side is sorted by recursion and the larger by looping, so the stack
 * depth stays O(log n) even on bad inputs. Not stable.
 */
#include <stddef.h>
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void insertion(char *base, size_t n, size_t size, cmp_fn cmp)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(base + (j - 1) * size, base + j * size) > 0; j--)
            swap(base + (j - 1) * size, base + j * size, size);
}

void qsort(void *vbase, size_t n, size_t size, cmp_fn cmp)
{
    char *base = vbase;
    while (n > 8) {
        char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;
        /* Order lo <= mid <= hi; the median (mid) becomes the pivot, moved to the front. */
        if (cmp(mid, lo) < 0) swap(mid, lo, size);
        if (cmp(hi, lo) < 0) swap(hi, lo, size);
        if (cmp(hi, mid) < 0) swap(hi, mid, size);
        swap(base, mid, size);
        /* Three-way partition (so runs of equal keys cost O(n), not O(n^2)):
         *   [base, lt) < pivot   [lt, i) == pivot   [i, gt) unseen   [gt, end) > pivot
         * The element at lt is always equal to the pivot: compare against it. */
        char *lt = base, *i = base + size, *gt = base + n * size;
        while (i < gt) {
            int c = cmp(i, lt);
            if (c < 0) {
                swap(lt, i, size);
                lt += size;
                i += size;
            } else if (c > 0) {
                gt -= size;
                swap(i, gt, size);
            } else {
                i += size;
            }
        }
        size_t left = (lt - base) / size, right = n - (gt - base) / size;
        if (left < right) {
            qsort(base, left, size, cmp);
            base = gt;
            n = right;
        } else {
            qsort(gt, right, size, cmp);
            n = left;
        }
    }
    insertion(base, n, size, cmp);
}

void *bsearch(const void *key, const void *vbase, size_t n, size_t size, cmp_fn cmp)
{
    const char *base = vbase;
    while (n > 0) {
        const char *mid = base + (n / 2) * size;
        int c = cmp(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            base = mid + size;
            n -= n / 2 + 1;
        } else {
            n /= 2;
        }
    }
    return NULL;
}
